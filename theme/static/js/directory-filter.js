// Instant filtering of the member directory. Without this script the region
// and education links filter through their own pages.
(function () {
  "use strict";
  var form = document.querySelector("form.directory-filter");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".institution-cards > li"));
  var status = document.querySelector(".directory-count");

  function countText(shown) {
    return form.dataset.count.replace("{shown}", shown).replace("{total}", cards.length);
  }

  function apply() {
    var region = form.elements.region.value;
    var offering = form.elements.offering.value;
    var shown = 0;
    cards.forEach(function (card) {
      var match = (!region || card.dataset.region === region) &&
        (!offering || card.dataset.offers.split(" ").indexOf(offering) !== -1);
      card.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = countText(shown);
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
})();
