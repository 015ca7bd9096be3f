// make serve only, on the editor's page (/admin/): the build's problems in a panel of
// its own, kept up to date without ever reloading the page (a reload would lose the
// writer's unsaved text). It asks with the build it knows of; the preview answers when
// the next build is done (or after 20 s: then it asks again).
(function () {
  "use strict";
  var panel = document.createElement("aside");
  panel.id = "esikatselu-virhepaneeli";
  panel.className = "esikatselu-virheet esikatselu-virhepaneeli";
  panel.setAttribute("aria-labelledby", "esikatselu-virheet-otsikko");
  panel.hidden = true;
  document.body.appendChild(panel);
  var seen = "";

  function element(name, text) {
    var node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(state) {
    panel.replaceChildren();
    panel.hidden = state.virheet.length === 0;
    if (panel.hidden) return;
    var details = element("details");
    details.open = true;
    var summary = element("summary");
    var heading = element("h2", state.otsikko);
    heading.id = "esikatselu-virheet-otsikko";
    summary.appendChild(heading);
    var list = element("ol");
    state.virheet.forEach(function (rows) {
      var facts = element("dl");
      rows.forEach(function (row) {
        facts.appendChild(element("dt", row[0]));
        facts.appendChild(element("dd", row[1]));
      });
      list.appendChild(element("li")).appendChild(facts);
    });
    details.appendChild(summary);
    details.appendChild(list);
    panel.appendChild(details);
  }

  function check() {
    fetch("/_esikatselu/virheet" + (seen ? "?versio=" + encodeURIComponent(seen) : ""), { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        seen = String(state.versio);
        show(state);
        setTimeout(check, 0);
      })
      .catch(function () { setTimeout(check, 2000); }); // the preview was stopped: wait for it
  }
  check();
})();
