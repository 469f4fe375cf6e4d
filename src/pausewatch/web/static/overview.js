/* Overview: headline numbers, the pause's timeline, figures by source and the latest contradictions. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el, svg = PW.svg;
  var LANES = ["window", "extension", "end", "violation", "denied violation", "evacuation", "humanitarian", "negotiation"];
  var STATUSES = ["corroborated", "single_source", "contested"];

  function stat(label, value, sub, cls) {
    return el("div", { class: "stat " + (cls || "") }, el("div", { class: "label" }, label),
      el("div", { class: "value" }, value), sub ? el("div", { class: "sub" }, sub) : null);
  }

  function stats(o) {
    var c = o.by_corroboration;
    var period = o.first_date ? PW.fmtDate(o.first_date) + (o.last_date !== o.first_date ? " – " + PW.fmtDate(o.last_date) : "") : "no dates";
    return el("div", { class: "stats" },
      stat("Events", PW.num(o.events), PW.plural(o.claims, "claim")),
      stat("Corroborated", PW.num(c.corroborated), "2+ independent sources", "ok"),
      stat("Single source", PW.num(c.single_source), "not independently confirmed", "warn"),
      stat("Contested", PW.num(c.contested), "sources disagree", "bad"),
      stat("Reports", PW.num(o.documents), PW.plural(o.outlets, "outlet")),
      stat("Period", o.first_date ? PW.fmtDate(o.first_date).replace(/ \d{4}$/, "") : "–", period));
  }

  function corroborationBar(o) {
    var total = o.events || 1;
    var bar = el("div", { class: "bar-stack", role: "img", "aria-label": "share of events by corroboration" });
    STATUSES.forEach(function (s) {
      var seg = el("span", { class: "seg-" + s, title: PW.STATUS_LABEL[s] + ": " + o.by_corroboration[s] });
      seg.style.width = (100 * o.by_corroboration[s] / total) + "%";
      bar.appendChild(seg);
    });
    var legend = el("div", { class: "legend" }, STATUSES.map(function (s) {
      return el("span", {}, el("i", { class: "seg-" + s }), PW.STATUS_LABEL[s] + " " + o.by_corroboration[s]);
    }));
    return el("div", {}, bar, legend);
  }

  /* ------------------------------------------------------------ timeline */

  function dayNumber(iso) { return Date.parse(iso + "T00:00:00Z") / 86400000; }

  function chart(items) {
    var dated = items.filter(function (i) { return i.date; });
    if (!dated.length) { return PW.empty("No dated events yet."); }
    var lanes = LANES.filter(function (l) { return dated.some(function (i) { return i.category === l; }); });
    var days = dated.map(function (i) { return dayNumber(i.date); });
    var d0 = Math.min.apply(null, days) - 0.5, d1 = Math.max.apply(null, days) + 0.5;
    var W = 720, left = 118, right = 14, top = 8, lane = 26, H = top + lanes.length * lane + 26;
    var x = function (d) { return left + (d - d0) / (d1 - d0) * (W - left - right); };
    var root = svg("svg", { class: "tl-chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "timeline of events by category" });
    lanes.forEach(function (l, i) {
      var y = top + i * lane + lane / 2;
      root.appendChild(svg("line", { class: "lane", x1: left, x2: W - right, y1: y, y2: y }));
      root.appendChild(svg("text", { x: 4, y: y + 4 }, l));
    });
    ticks(d0, d1).forEach(function (d) {
      var tx = x(d);
      root.appendChild(svg("line", { class: "tick", x1: tx, x2: tx, y1: top, y2: H - 20 }));
      root.appendChild(svg("text", { x: tx, y: H - 6, "text-anchor": "middle" },
        PW.fmtDate(new Date(d * 86400000).toISOString().slice(0, 10)).replace(/ \d{4}$/, "")));
    });
    var stacked = {};
    dated.forEach(function (i) {
      var key = i.category + i.date;
      var k = stacked[key] = (stacked[key] || 0) + 1;
      var cy = top + lanes.indexOf(i.category) * lane + lane / 2 + (k > 1 ? ((k % 2 ? -1 : 1) * Math.ceil((k - 1) / 2) * 4) : 0);
      var dot = svg("circle", { class: "fill-" + i.corroboration, cx: x(dayNumber(i.date)) + (k - 1) * 3, cy: cy, r: 6 },
        svg("title", {}, PW.fmtDate(i.date) + " · " + i.headline + " · " + PW.STATUS_LABEL[i.corroboration]));
      root.appendChild(svg("a", { href: PW.eventHref(i.event_id) }, dot));
    });
    return root;
  }

  function ticks(d0, d1) {
    var span = d1 - d0, step = span <= 10 ? 1 : span <= 24 ? 2 : span <= 60 ? 7 : Math.ceil(span / 8);
    var out = [];
    for (var d = Math.ceil(d0); d <= d1; d += step) { out.push(d); }
    return out;
  }

  function dayList(items) {
    var byDay = {};
    var order = [];
    items.forEach(function (i) {
      var key = i.date || "undated";
      if (!byDay[key]) { byDay[key] = []; order.push(key); }
      byDay[key].push(i);
    });
    return el("ol", { class: "tl-list", id: "timeline-list" }, order.map(function (day) {
      return el("li", { class: "tl-day" }, el("div", { class: "tl-date" }, day === "undated" ? "Undated" : PW.fmtDate(day)),
        el("div", {}, byDay[day].map(function (i) {
          return el("div", { class: "tl-item", "data-event": i.event_id }, PW.categoryChip(i.category),
            el("a", { href: PW.eventHref(i.event_id) }, i.headline), PW.statusBadge(i.corroboration), PW.gradeBadge(i.review),
            el("span", { class: "who" }, (i.claimants || []).slice(0, 3).join(", ") + ((i.claimants || []).length > 3 ? " …" : "")));
        })));
    }));
  }

  function timeline(items) {
    var card = PW.section("Timeline of the pause", el("span", { class: "muted" }, "windows, extensions, violations, evacuations"));
    var present = LANES.filter(function (l) { return items.some(function (i) { return i.category === l; }); });
    var chosen = null;
    var holder = el("div", {});
    var filter = el("div", { class: "cat-filter", role: "group", "aria-label": "filter by category" });
    function draw() {
      var shown = items.filter(function (i) { return !chosen || i.category === chosen; });
      PW.clear(holder).appendChild(chart(shown));
      holder.appendChild(shown.length ? dayList(shown) : PW.empty("No events in this category."));
      Array.prototype.forEach.call(filter.children, function (b) { b.className = (b.getAttribute("data-cat") || "") === (chosen || "") ? "on" : ""; });
    }
    [null].concat(present).forEach(function (cat) {
      filter.appendChild(el("button", { type: "button", "data-cat": cat || "", on: { click: function () { chosen = cat; draw(); } } }, cat || "all"));
    });
    if (!items.length) { card.body.appendChild(PW.empty("No events yet: upload reports to start.")); return card.node; }
    card.body.appendChild(filter);
    card.body.appendChild(holder);
    draw();
    return card.node;
  }

  /* ------------------------------------------------------------ figures and contradictions */

  function figure(f) {
    var top = Math.max.apply(null, f.by_source.map(function (s) { return s.value; }).concat([1]));
    var bars = f.by_source.map(function (s) {
      var fill = el("div", { class: "fill" });
      fill.style.width = Math.max(1, 100 * s.value / top) + "%";
      return el("div", { class: "fbar" }, el("span", { class: "who", title: s.source }, s.source),
        el("div", { class: "track" }, fill), el("span", { class: "val" }, PW.num(s.value)));
    });
    var range = f.low === f.high ? PW.num(f.best) : PW.num(f.low) + " – " + PW.num(f.high) + " (median " + PW.num(f.best) + ")";
    return el("div", { class: "figure" },
      el("div", { class: "figure-head" }, el("a", { href: PW.eventHref(f.event_id) }, f.headline), PW.statusBadge(f.corroboration)),
      el("div", { class: "figure-range" }, range + (f.counted ? " " + f.counted : "") + " · " + PW.fmtDate(f.date) +
        (f.low !== f.high ? " · spread ×" + f.ratio : "")),
      bars);
  }

  function figures(page) {
    var card = PW.section("Figures by source", el("span", { class: "muted" }, "largest disagreements first"));
    if (!page.items.length) { card.body.appendChild(PW.empty("No figures reported yet.")); }
    page.items.forEach(function (f) { card.body.appendChild(figure(f)); });
    return card.node;
  }

  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  function contradiction(c) {
    return el("div", { class: "contra" },
      el("div", { class: "contra-head" }, el("a", { href: PW.eventHref(c.event_id) }, c.headline),
        el("span", { class: "muted small" }, PW.fmtDate(c.date) + " · disputed: " + (c.contested_on.join(", ") || "details"))),
      el("div", { class: "sides" }, c.sides.map(function (s) {
        var first = s.claims[0];
        return el("div", { class: "side" + (s.denied ? " denied" : "") }, el("div", { class: "pos" }, s.position),
          el("span", { class: "by" }, s.claims.map(function (x) { return x.claimed_by; }).filter(function (v, i, a) { return a.indexOf(v) === i; }).join(", ")),
          first ? el("blockquote", {}, "“" + clip(first.evidence, 170) + "”") : null);
      })));
  }

  function contradictions(page) {
    var card = PW.section("Latest contradictions", el("a", { href: "/events?status=contested", class: "small" }, "all " + page.total + " →"));
    if (!page.items.length) { card.body.appendChild(PW.empty("No contested events.")); }
    page.items.forEach(function (c) { card.body.appendChild(contradiction(c)); });
    return card.node;
  }

  function render(o, tl, figs, contra) {
    var app = PW.clear(document.getElementById("app"));
    app.appendChild(stats(o));
    var split = el("div", { class: "card" }, el("div", { class: "card-head" }, el("h2", {}, "Corroboration"),
      el("span", { class: "muted" }, PW.plural(o.reviews, "analyst review"))), el("div", { class: "card-body" }, corroborationBar(o)));
    app.appendChild(el("div", { class: "grid grid-2" },
      el("div", { class: "stack" }, timeline(tl.items)),
      el("div", { class: "stack" }, split, figures(figs), contradictions(contra))));
  }

  document.addEventListener("DOMContentLoaded", function () {
    Promise.all([PW.api("/api/overview"), PW.api("/api/timeline?limit=500"),
      PW.api("/api/figures?sort=spread&limit=6"), PW.api("/api/contradictions?limit=5")])
      .then(function (r) { render(r[0], r[1], r[2], r[3]); })
      .catch(function (err) { PW.showError(document.getElementById("app"), err); });
  });
}());
