/* Event page: every claim with its source, quote and evidence highlighted in the article; reviews. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;
  var GRADES = [["confirmed", "confirmed: established beyond reasonable doubt"], ["fair", "fair: probably happened"],
    ["weak", "weak: possible, thin evidence"], ["contested", "contested: credible sources disagree"],
    ["discounted", "discounted: judged not to have happened as claimed"]];
  var docs = {};

  function fetchDoc(docId) {
    if (!docs[docId]) { docs[docId] = PW.api("/api/documents/" + encodeURIComponent(docId)); }
    return docs[docId];
  }

  /* ------------------------------------------------------------ header */

  function header(e) {
    var head = PW.clear(document.getElementById("page-head"));
    head.appendChild(el("div", {},
      el("div", { class: "small muted" }, el("a", { href: "/events" }, "Events"), " / ", el("span", { class: "mono" }, e.event_id)),
      el("h1", { id: "title" }, e.headline),
      el("div", { class: "event-head" }, PW.typeChip(e.type), PW.statusBadge(e.corroboration), PW.gradeBadge(e.review),
        e.contested_on.length ? el("span", { class: "small bad" }, "disputed: " + e.contested_on.join(", ")) : null)));
    document.title = e.headline + " · pausewatch";
  }

  function facts(e) {
    var items = [["Date", PW.fmtDate(e.date)], ["Place", e.place_label || "not given"],
      ["Independent sources", String(e.sources.length)], ["Claims", String(e.n_claims)],
      ["Outlets", e.outlets.join(", ") || "—"]];
    if (e.figures) { items.splice(2, 0, ["Figures", PW.figureText(e.figures)]); }
    var card = PW.section("What is claimed");
    card.body.appendChild(el("dl", { class: "facts" }, items.map(function (i) {
      return el("div", {}, el("dt", {}, i[0]), el("dd", {}, i[1]));
    })));
    card.body.appendChild(el("p", { class: "attribution" }, e.attribution));
    if (e.figures && e.figures.low !== e.figures.high) {
      card.body.appendChild(el("div", { class: "range-line small", id: "figures" },
        el("span", {}, "low ", el("b", {}, PW.num(e.figures.low))), el("span", {}, "median ", el("b", {}, PW.num(e.figures.best))),
        el("span", {}, "high ", el("b", {}, PW.num(e.figures.high))),
        el("span", { class: "muted" }, Object.keys(e.figures.by_source).map(function (k) { return k + ": " + PW.num(e.figures.by_source[k]); }).join(" · "))));
    }
    return card.node;
  }

  /* ------------------------------------------------------------ claims */

  function claimMeta(m) {
    var bits = [];
    if (m.count) { bits.push(el("span", {}, "count ", el("b", {}, (m.count.qualifier ? m.count.qualifier.replace(/_/g, " ") + " " : "") + PW.num(m.count.best) + (m.count.counted ? " " + m.count.counted : "")))); }
    if (m.date) { bits.push(el("span", {}, "date ", el("b", {}, PW.fmtDate(m.date)))); }
    if (m.place) { bits.push(el("span", {}, "place ", el("b", {}, PW.placeText(m.place)))); }
    if (m.actor) { bits.push(el("span", {}, "actor ", el("b", {}, m.actor))); }
    if (m.target) { bits.push(el("span", {}, "target ", el("b", {}, m.target))); }
    if (m.phase) { bits.push(el("span", {}, "phase ", el("b", {}, m.phase))); }
    bits.push(el("span", {}, "status ", el("b", {}, m.status)));
    return el("div", { class: "claim-meta" }, bits);
  }

  function docLine(m) {
    var d = m.document;
    if (!d) { return el("div", { class: "doc-link muted" }, "document " + m.doc_id.slice(0, 12)); }
    return el("div", { class: "doc-link" }, el("a", { href: PW.docHref(d.doc_id) }, d.title || d.name),
      el("span", { class: "muted" }, " · " + (d.outlet || "unknown outlet") + " · " + PW.fmtDate(d.published)),
      PW.safeUrl(d.url) && /^https?:/i.test(d.url) ? el("span", {}, " · ", el("a", { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original")) : null);
  }

  function article(m, e, box) {
    fetchDoc(m.doc_id).then(function (doc) {
      var ownIds = e.mentions.map(function (x) { return x.mention_id; });
      var spans = doc.spans.filter(function (s) { return ownIds.indexOf(s.mention_id) >= 0; }).map(function (s) {
        return { start: s.start_utf16, end: s.end_utf16, key: s.mention_id, eventId: s.event_id,
          cls: s.mention_id === m.mention_id ? "current" : "other", title: s.claimed_by + " · " + PW.typeLabel(s.type) };
      });
      PW.clear(box).appendChild(PW.highlight(doc.text, spans));
      var mark = box.querySelector("mark.current");
      if (mark) { box.scrollTop = Math.max(0, mark.offsetTop - 40); }
    }).catch(function (err) {
      PW.clear(box).appendChild(el("span", { class: "muted" }, "Article not available (" + err.message + "). Evidence: "));
      box.appendChild(el("mark", { class: "hl current" }, m.evidence));
    });
  }

  function claim(m, e) {
    var denied = m.polarity === "denied";
    var box = el("div", { class: "article", tabindex: "0", "aria-label": "article text with the evidence highlighted" },
      el("span", { class: "loading" }, "Loading article…"));
    var quotes = (m.quotes || []).map(function (q) {
      return el("blockquote", { class: "quote" }, el("span", { class: "speaker" }, (q.speaker || "unnamed speaker") + " said:"), "“" + q.text + "”");
    });
    var node = el("article", { class: "claim" + (denied ? " denied" : ""), id: "claim-" + m.mention_id, "data-mention": m.mention_id },
      el("div", { class: "claim-head" }, el("span", { class: "who" }, m.claimed_by),
        el("span", { class: "chip" }, m.claim_kind), el("span", { class: "verb" + (denied ? " denies" : "") }, denied ? "denies" : "asserts"),
        el("span", { class: "via" }, "via " + (m.outlet || "unknown outlet") + (m.published ? ", published " + PW.fmtDate(m.published) : ""))),
      claimMeta(m), quotes, box, docLine(m));
    article(m, e, box);
    return node;
  }

  function claims(e) {
    var card = PW.section("Claims and evidence", el("span", { class: "muted" }, PW.plural(e.n_claims, "claim") + " from " + PW.plural(e.outlets.length, "outlet")));
    card.body.id = "claims";
    e.mentions.forEach(function (m) { card.body.appendChild(claim(m, e)); });
    return card.node;
  }

  /* ------------------------------------------------------------ reviews */

  function history(e) {
    if (!e.reviews.length) { return PW.empty("No analyst has reviewed this event yet."); }
    return el("ul", { class: "review-log", id: "review-log" }, e.reviews.slice().reverse().map(function (r) {
      return el("li", {}, el("b", {}, r.analyst), " ", reviewWhat(r, e), el("div", { class: "when" }, PW.fmtWhen(r.created_at)),
        r.note ? el("span", { class: "note" }, r.note) : null);
    }));
  }

  function eventLink(id) { return el("a", { href: PW.eventHref(id), class: "mono small" }, id); }

  function reviewWhat(r, e) {
    var here = r.event_id === e.event_id;
    if (r.action === "grade") { return "graded it " + r.grade; }
    if (r.action === "note") { return "left a note"; }
    if (r.action === "merge") {
      return here ? el("span", {}, "merged it into ", eventLink(r.target_event_id)) : el("span", {}, "merged ", eventLink(r.event_id), " into this event");
    }
    var n = PW.plural(r.mention_ids.length, "claim");
    return here ? "split off " + n : el("span", {}, "split " + n + " off ", eventLink(r.event_id), " into this event");
  }

  function field(label, control) { return el("div", { class: "field" }, el("label", {}, label), control); }

  function reviewForm(e, status, rerender) {
    if (status && status.read_only) {
      return el("p", { class: "alert alert-info" }, "This server is read-only: start it with --token to allow reviews.");
    }
    if (!PW.token()) {
      return el("div", {}, el("p", { class: "small muted" }, "Enter the analyst token to grade, merge, split or annotate this event."),
        PW.tokenForm(function (ok) { if (ok) { rerender(); } }));
    }
    var tabs = ["grade", "note", "merge", "split"];
    var body = el("div", {});
    var bar = el("div", { class: "tabs", role: "tablist" });
    function show(tab) {
      Array.prototype.forEach.call(bar.children, function (b) { b.className = b.getAttribute("data-tab") === tab ? "on" : ""; });
      PW.clear(body).appendChild(actionForm(tab, e));
    }
    tabs.forEach(function (t) { bar.appendChild(el("button", { type: "button", "data-tab": t, on: { click: function () { show(t); } } }, t)); });
    show("grade");
    return el("div", {}, bar, body);
  }

  function actionForm(action, e) {
    var analyst = el("input", { type: "text", name: "analyst", maxlength: "100", required: true, props: { value: PW.analyst() } });
    var note = el("textarea", { name: "note", rows: "3", maxlength: "4000", placeholder: action === "note" ? "your note" : "why (optional)" });
    var msg = el("p", { class: "small", role: "status" });
    var extra = [];
    var grade = el("select", { name: "grade" }, GRADES.map(function (g) { return el("option", { value: g[0] }, g[1]); }));
    var target = el("select", { name: "target_event_id" }, el("option", { value: "" }, "loading candidates…"));
    var picks = e.mentions.map(function (m) {
      return el("label", { class: "split-pick" }, el("input", { type: "checkbox", name: "mention_ids", value: m.mention_id }),
        el("span", {}, m.claimed_by + ": “" + (m.evidence.length > 90 ? m.evidence.slice(0, 89) + "…" : m.evidence) + "”"));
    });
    if (action === "grade") { extra.push(field("Grade", grade)); }
    if (action === "merge") { extra.push(field("Merge this event into", target)); fillTargets(e, target); }
    if (action === "split") { extra.push(el("div", {}, el("label", {}, "Claims to move into a new event"), picks)); }
    var form = el("form", { class: "review-form", id: "review-form", "data-action": action }, extra,
      field("Note", note), field("Analyst", analyst),
      el("div", { class: "row" }, el("button", { class: "btn btn-primary", type: "submit" }, submitLabel(action))), msg);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = { action: action, analyst: analyst.value.trim(), note: note.value.trim() || null };
      if (action === "grade") { body.grade = grade.value; }
      if (action === "merge") { body.target_event_id = target.value || null; }
      if (action === "split") { body.mention_ids = picks.map(function (p) { return p.querySelector("input"); }).filter(function (i) { return i.checked; }).map(function (i) { return i.value; }); }
      send(e, body, msg);
    });
    return form;
  }

  function submitLabel(action) {
    return { grade: "Save grade", note: "Add note", merge: "Merge events", split: "Split into new event" }[action];
  }

  function fillTargets(e, select) {
    PW.api("/api/events?limit=500&type=" + encodeURIComponent(e.type)).then(function (page) {
      PW.clear(select).appendChild(el("option", { value: "" }, "choose an event of the same type"));
      page.items.filter(function (x) { return x.event_id !== e.event_id; }).forEach(function (x) {
        select.appendChild(el("option", { value: x.event_id }, PW.fmtDate(x.date) + " · " + x.headline));
      });
    }).catch(function (err) { PW.clear(select).appendChild(el("option", { value: "" }, "could not load: " + err.message)); });
  }

  function send(e, body, msg) {
    msg.className = "small muted";
    msg.textContent = "Saving…";
    PW.api("/api/events/" + encodeURIComponent(e.event_id) + "/reviews", { method: "POST", auth: true, json: body })
      .then(function (res) {
        if (res.event_id && res.event_id !== e.event_id) { window.location.assign(PW.eventHref(res.event_id)); return; }
        load();
      })
      .catch(function (err) { msg.className = "small bad"; msg.textContent = err.message; });
  }

  function reviewPanel(e, status) {
    var card = PW.section("Analyst review");
    card.node.id = "review";
    var formBox = el("div", {});
    function rerender() { PW.clear(formBox).appendChild(reviewForm(e, status, rerender)); }
    rerender();
    card.body.appendChild(formBox);
    card.body.appendChild(el("h3", { class: "history-head" }, "History"));
    card.body.appendChild(history(e));
    return card.node;
  }

  function render(e, status) {
    header(e);
    var app = PW.clear(document.getElementById("app"));
    app.appendChild(el("div", { class: "grid grid-2" },
      el("div", { class: "stack" }, facts(e), claims(e)),
      el("div", { class: "stack" }, reviewPanel(e, status))));
  }

  function load() {
    var id = PW.lastSegment();
    Promise.all([PW.api("/api/events/" + encodeURIComponent(id)), PW.api("/api/status").catch(function () { return null; })])
      .then(function (r) { render(r[0], r[1]); })
      .catch(function (err) { PW.showError(document.getElementById("app"), err); });
  }

  document.addEventListener("DOMContentLoaded", load);
}());
