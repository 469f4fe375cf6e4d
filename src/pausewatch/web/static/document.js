/* Document: the cleaned article text with every evidence span highlighted and linked to its event. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;

  function meta(d) {
    var items = [["Outlet", (d.outlet || "unknown") + " (" + d.outlet_guess.method + ")"],
      ["Published", PW.fmtDate(d.published) + " (" + d.published_guess.method + ")"], ["File", d.name],
      ["Claims", String(d.spans.length)], ["Quotes", String(d.quotes.length)], ["Boilerplate removed", d.removed.length + " lines"]];
    var url = PW.safeUrl(d.url) && /^https?:/i.test(d.url) ? el("a", { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank" }, d.url) : d.url;
    if (d.url) { items.push(["URL", url]); }
    items.push(["Credibility", PW.credibilityCell(d.credibility)]);
    return el("dl", { class: "facts" }, items.map(function (i) { return el("div", {}, el("dt", {}, i[0]), el("dd", {}, i[1])); }));
  }

  function spansList(d) {
    if (!d.spans.length) { return PW.empty("No claims were extracted from this report."); }
    return PW.table([
      { label: "Claim", cell: function (s) { return el("div", {}, el("b", {}, s.claimed_by), " ", el("span", { class: "verb" + (s.polarity === "denied" ? " denies" : "") }, s.polarity === "denied" ? "denies" : "asserts"), " ", PW.typeChip(s.type)); } },
      { label: "Evidence", cell: function (s) { return el("span", { class: "small" }, s.evidence); } },
      { label: "Event", cell: function (s) { return s.event_id ? el("a", { href: PW.eventHref(s.event_id) }, "open →") : "—"; } }
    ], d.spans, { compact: true });
  }

  function render(d) {
    var head = PW.clear(document.getElementById("page-head"));
    head.appendChild(el("div", {}, el("div", { class: "small muted" }, el("a", { href: "/documents" }, "Documents"), " / ",
      el("span", { class: "mono" }, d.doc_id.slice(0, 16))), el("h1", { id: "title" }, d.title || d.name)));
    document.title = (d.title || d.name) + " · pausewatch";
    var spans = d.spans.map(function (s) {
      return { start: s.start_utf16, end: s.end_utf16, key: s.mention_id, eventId: s.event_id, cls: "current",
        title: s.claimed_by + " · " + PW.typeLabel(s.type) + (s.exact ? "" : " (located by text search)") };
    });
    var text = el("div", { class: "article full", id: "article" }, PW.highlight(d.text, spans));
    text.addEventListener("click", function (ev) {
      var mark = ev.target.closest ? ev.target.closest("mark[data-event]") : null;
      if (mark) { window.location.assign(PW.eventHref(mark.getAttribute("data-event"))); }
    });
    var app = PW.clear(document.getElementById("app"));
    var about = PW.section("About this report");
    about.body.appendChild(meta(d));
    var body = PW.section("Cleaned text", el("span", { class: "muted" }, "highlighted: evidence sentences (click to open the event)"));
    body.body.appendChild(text);
    var claims = PW.section("Claims in this report");
    claims.body.className = "card-body flush";
    claims.body.appendChild(spansList(d));
    app.appendChild(el("div", { class: "grid grid-2" }, el("div", { class: "stack" }, body.node), el("div", { class: "stack" }, about.node, claims.node)));
  }

  document.addEventListener("DOMContentLoaded", function () {
    PW.api("/api/documents/" + encodeURIComponent(PW.lastSegment())).then(render)
      .catch(function (err) { PW.showError(document.getElementById("app"), err); });
  });
}());
