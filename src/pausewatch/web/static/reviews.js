/* Reviews: the append-only log of analyst decisions. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;
  var LIMIT = 50;

  function detail(r) {
    if (r.action === "grade") { return PW.gradeBadge({ grade: r.grade, analyst: r.analyst, note: r.note }); }
    if (r.action === "merge") { return el("span", {}, "into ", el("a", { href: PW.eventHref(r.target_event_id) }, r.target_event_id)); }
    if (r.action === "split") { return el("span", {}, r.mention_ids.length + " claim(s) moved to a new event"); }
    return el("span", { class: "muted" }, "note");
  }

  var COLUMNS = [
    { label: "When", cls: "nowrap small", cell: function (r) { return PW.fmtWhen(r.created_at); } },
    { label: "Analyst", cell: function (r) { return el("b", {}, r.analyst); } },
    { label: "Action", cell: function (r) { return el("span", { class: "chip" }, r.action); } },
    { label: "Event", cls: "mono small", cell: function (r) { return el("a", { href: PW.eventHref(r.event_id) }, r.event_id); } },
    { label: "Decision", cell: detail },
    { label: "Note", cls: "clip", cell: function (r) { return r.note || el("span", { class: "muted" }, "—"); } }
  ];

  function load(offset) {
    var box = document.getElementById("results");
    PW.api("/api/reviews" + PW.query({ limit: LIMIT, offset: offset })).then(function (page) {
      PW.clear(box);
      box.appendChild(page.items.length ? PW.table(COLUMNS, page.items) : PW.empty("No reviews yet. Open an event and enter the token to grade it."));
      box.appendChild(PW.pager(page, load));
    }).catch(function (err) { PW.showError(box, err); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var app = PW.clear(document.getElementById("app"));
    var card = PW.section("Decisions, newest first");
    card.body.className = "card-body flush";
    card.body.appendChild(el("div", { id: "results" }, el("p", { class: "loading" }, "Loading…")));
    app.appendChild(card.node);
    load(0);
  });
}());
