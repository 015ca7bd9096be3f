// Keeps "upcoming" and "past" true between builds: moves each event by its
// end date compared with the visitor's today. Without this script the
// order of the last build stands.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

  Array.prototype.forEach.call(document.querySelectorAll("[data-event-lists]"), function (box) {
    var upcomingList = box.querySelector("[data-upcoming]");
    var pastList = box.querySelector("[data-past]");
    var items = Array.prototype.slice.call(box.querySelectorAll("li[data-end]"));
    var upcoming = items.filter(function (li) { return li.dataset.end >= today; });
    var past = items.filter(function (li) { return li.dataset.end < today; });
    upcoming.sort(function (a, b) {
      return a.dataset.start.localeCompare(b.dataset.start) || a.dataset.end.localeCompare(b.dataset.end);
    });
    past.sort(function (a, b) {
      return b.dataset.end.localeCompare(a.dataset.end) || b.dataset.start.localeCompare(a.dataset.start);
    });
    var limit = parseInt(upcomingList.dataset.limit || "0", 10);
    upcoming.forEach(function (li, index) {
      li.hidden = limit > 0 && index >= limit;
      upcomingList.appendChild(li);
    });
    past.forEach(function (li) {
      if (pastList) { li.hidden = false; pastList.appendChild(li); } else { li.remove(); }
    });
    var emptyUpcoming = box.querySelector("[data-empty-upcoming]");
    var emptyPast = box.querySelector("[data-empty-past]");
    if (emptyUpcoming) emptyUpcoming.hidden = upcoming.length > 0;
    if (emptyPast) emptyPast.hidden = past.length > 0;
    if (box.hasAttribute("data-hide-when-empty")) box.hidden = upcoming.length === 0;
  });
})();
