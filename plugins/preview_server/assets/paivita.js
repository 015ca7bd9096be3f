// make serve only: reload the page when a build has changed it (or its problems).
// A visible page asks with the build it knows of, its address and its fingerprint;
// the preview answers as soon as a build changes this page (or after 20 s: then it
// asks again). A build that leaves the page as it was does not reload it. A hidden
// tab only looks every few seconds, so that many open tabs
// never use up the browser's connections.
(function () {
  "use strict";
  var script = document.currentScript;
  var seen = script.getAttribute("data-versio");
  var page = "&sivu=" + encodeURIComponent(location.pathname) +
             "&tiiviste=" + encodeURIComponent(script.getAttribute("data-tiiviste"));
  var waiting = false;
  function check() {
    if (waiting) return;
    var visible = document.visibilityState === "visible";
    waiting = true;
    fetch("/_esikatselu/tila?" + (visible ? "versio=" + encodeURIComponent(seen) : "") + page,
          { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        waiting = false;
        if (state.muuttui) { location.reload(); return; }
        seen = String(state.versio);
        setTimeout(check, visible ? 0 : 3000);
      })
      .catch(function () { waiting = false; setTimeout(check, 2000); }); // the preview was stopped: wait for it
  }
  document.addEventListener("visibilitychange", check);
  check();
})();
