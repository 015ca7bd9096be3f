// make serve only: reload the page when a new build has finished (success or not).
// A visible page asks with the build it shows and the preview answers as soon as the
// next build is done (or after 20 s: then it asks again). A hidden tab only looks
// every few seconds, so that many open tabs never use up the browser's connections.
(function () {
  "use strict";
  var seen = document.currentScript.getAttribute("data-versio");
  var waiting = false;
  function check() {
    if (waiting) return;
    var visible = document.visibilityState === "visible";
    waiting = true;
    fetch("/_esikatselu/tila" + (visible ? "?versio=" + encodeURIComponent(seen) : ""),
          { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        waiting = false;
        if (String(state.versio) !== seen) { location.reload(); return; }
        setTimeout(check, visible ? 0 : 3000);
      })
      .catch(function () { waiting = false; setTimeout(check, 2000); }); // the preview was stopped: wait for it
  }
  document.addEventListener("visibilitychange", check);
  check();
})();
