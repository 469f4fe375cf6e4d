/* Documents: every stored report with how its outlet and date were found, and its credibility. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;
  var LIMIT = 50;

  function guess(g) { return g.method + ", " + Math.round(100 * g.confidence) + "%"; }

  var COLUMNS = [
    { label: "Published", cls: "nowrap", cell: function (d) { return el("div", {}, PW.fmtDate(d.published), el("div", { class: "small muted" }, guess(d.published_guess))); } },
    { label: "Outlet", cell: function (d) { return el("div", {}, d.outlet || el("span", { class: "muted" }, "unknown"), el("div", { class: "small muted" }, guess(d.outlet_guess))); } },
    { label: "Report", cell: function (d) {
      return el("div", {}, el("a", { href: PW.docHref(d.doc_id) }, d.title || d.name),
        el("div", { class: "small muted" }, d.name), d.syndicated_of ? el("span", { class: "chip" }, "copy of another report") : null);
    } },
    { label: "Credibility", cell: function (d) { return PW.credibilityCell(d.credibility); } },
    { label: "ID", cls: "mono small", cell: function (d) { return d.doc_id.slice(0, 12); } }
  ];

  function load(values, offset) {
    var box = document.getElementById("results");
    window.history.replaceState(null, "", "/documents" + PW.query(values));
    PW.api("/api/documents" + PW.query(Object.assign({ limit: LIMIT, offset: offset }, values))).then(function (page) {
      PW.clear(box);
      box.appendChild(page.items.length ? PW.table(COLUMNS, page.items) : PW.empty("No documents match."));
      box.appendChild(PW.pager(page, function (o) { load(values, o); }));
    }).catch(function (err) { PW.showError(box, err); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var values = PW.pageParams(["outlet", "q"]);
    var outlet = el("input", { type: "text", name: "outlet", placeholder: "outlet", maxlength: "200", props: { value: values.outlet } });
    var q = el("input", { type: "text", name: "q", placeholder: "title or file name", maxlength: "200", props: { value: values.q } });
    var form = el("form", { class: "row" }, outlet, q, el("button", { class: "btn btn-primary", type: "submit" }, "Search"));
    form.addEventListener("submit", function (ev) { ev.preventDefault(); load({ outlet: outlet.value.trim(), q: q.value.trim() }, 0); });
    var app = PW.clear(document.getElementById("app"));
    var card = PW.section("Reports", form);
    card.body.className = "card-body flush";
    card.body.appendChild(el("div", { id: "results" }, el("p", { class: "loading" }, "Loading…")));
    app.appendChild(card.node);
    load(values, 0);
  });
}());
