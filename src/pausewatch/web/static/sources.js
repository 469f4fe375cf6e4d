/* Sources: each outlet's framing (terms per party), whom it quotes, its claims' record and credibility. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;
  var STATUSES = ["corroborated", "single_source", "contested"];

  function sideClass(side) { return "term side-" + String(side || "other").replace(/[^a-z]+/gi, "-").toLowerCase(); }

  function terms(list) {
    if (!list.length) { return el("span", { class: "muted" }, "—"); }
    return el("div", { class: "chips" }, list.slice(0, 12).map(function (t) {
      return el("span", { class: sideClass(t.side), title: t.side ? "names the " + t.side : "" }, t.term, el("b", {}, String(t.count)));
    }));
  }

  function quoted(list) {
    if (!list.length) { return el("span", { class: "muted" }, "nobody"); }
    return el("div", {}, list.slice(0, 5).map(function (q) {
      return el("div", { class: "small" }, q.speaker + " ", el("span", { class: "muted" }, "×" + q.count));
    }), list.length > 5 ? el("div", { class: "small muted" }, "+" + (list.length - 5) + " more") : null);
  }

  function record(claims) {
    var total = STATUSES.reduce(function (n, s) { return n + (claims[s] || 0); }, 0);
    if (!total) { return el("span", { class: "muted" }, "no claims"); }
    var bar = el("div", { class: "bar-stack" });
    STATUSES.forEach(function (s) {
      var seg = el("span", { class: "seg-" + s, title: PW.STATUS_LABEL[s] + ": " + (claims[s] || 0) });
      seg.style.width = (100 * (claims[s] || 0) / total) + "%";
      bar.appendChild(seg);
    });
    return el("div", {}, bar, el("div", { class: "small muted" },
      Math.round(100 * (claims.corroborated || 0) / total) + "% corroborated · " + (claims.contested || 0) + " contested of " + total));
  }

  function credibility(value) {
    if (value === null || value === undefined || value === "") { return el("span", { class: "muted", title: "No rating in the data" }, "—"); }
    return el("span", { class: "chip" }, typeof value === "object" ? JSON.stringify(value) : String(value));
  }

  var OUTLET_COLUMNS = [
    { label: "Outlet", cell: function (o) { return el("div", {}, el("b", {}, o.outlet), el("div", { class: "small muted" }, PW.plural(o.documents, "report"))); } },
    { label: "Names the parties", cell: function (o) { return terms(o.terms); } },
    { label: "Quotes", cell: function (o) { return quoted(o.quoted); } },
    { label: "Claims' record", cell: function (o) { return record(o.claims); } },
    { label: "Leaves out", cell: function (o) { return o.not_reported.length ? el("span", { class: "small" }, o.not_reported.map(PW.typeLabel).join(", ")) : el("span", { class: "muted" }, "—"); } },
    { label: "Credibility", cell: function (o) { return credibility(o.credibility); } }
  ];

  var CLAIMANT_COLUMNS = [
    { label: "Speaker or source", cell: function (c) { return el("div", {}, el("b", {}, c.name), el("div", { class: "small muted" }, c.kinds.join(", "))); } },
    { label: "Via", cell: function (c) { return el("span", { class: "small" }, c.outlets.join(", ") || "—"); } },
    { label: "Claims", cls: "num", cell: function (c) { return PW.num(c.claims); } },
    { label: "Denials", cls: "num", cell: function (c) { return PW.num(c.denials); } },
    { label: "About", cell: function (c) { return el("span", { class: "small" }, c.types.join(", ")); } },
    { label: "Record", cell: function (c) { return record(c.by_corroboration); } },
    { label: "", cls: "nowrap", cell: function (c) { return el("a", { class: "small", href: "/events" + PW.query({ source: c.name }) }, "events →"); } }
  ];

  function render(outlets, claimants) {
    var app = PW.clear(document.getElementById("app"));
    var a = PW.section("Outlets", el("span", { class: "muted" }, "terms are counted in each outlet's cleaned article text"));
    a.body.className = "card-body flush";
    a.body.appendChild(outlets.items.length ? PW.table(OUTLET_COLUMNS, outlets.items) : PW.empty("No outlets yet."));
    var b = PW.section("Who is claimed to say what", el("span", { class: "muted" }, PW.num(claimants.total) + " speakers and sources"));
    b.body.className = "card-body flush";
    b.body.appendChild(claimants.items.length ? PW.table(CLAIMANT_COLUMNS, claimants.items) : PW.empty("No claims yet."));
    app.appendChild(el("div", { class: "stack" }, a.node, b.node));
  }

  document.addEventListener("DOMContentLoaded", function () {
    Promise.all([PW.api("/api/sources?limit=500"), PW.api("/api/claimants?limit=200")])
      .then(function (r) { render(r[0], r[1]); })
      .catch(function (err) { PW.showError(document.getElementById("app"), err); });
  });
}());
