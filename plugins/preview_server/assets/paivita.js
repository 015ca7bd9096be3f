// make serve only: reload the page when a new build has finished (success or not).
(function () {
  "use strict";
  var seen = document.currentScript.getAttribute("data-versio");
  function check() {
    fetch("/_esikatselu/tila", { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (String(state.versio) !== seen) { location.reload(); return; }
        setTimeout(check, 700);
      })
      .catch(function () { setTimeout(check, 2000); }); // the preview was stopped: wait for it
  }
  setTimeout(check, 700);
})();
