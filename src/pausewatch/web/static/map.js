/* Map: an offline SVG projection of event coordinates. No tiles, no network: a graticule, a scale bar,
 * dots for located places and dashed circles for places known only to province (admin1) level. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el, svg = PW.svg;
  var W = 900, H = 540, PAD = 70;
  var RANK = { contested: 0, single_source: 1, corroborated: 2 };

  function groups(features) {
    var byKey = {};
    var out = [];
    features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var key = c[0] + "," + c[1] + "," + p.place + "," + p.precision;
      if (!byKey[key]) { byKey[key] = { lon: c[0], lat: c[1], place: p.place || "", precision: p.precision, approximate: p.approximate, events: [] }; out.push(byKey[key]); }
      byKey[key].events.push(p);
    });
    out.forEach(function (g) {
      g.worst = g.events.map(function (e) { return e.corroboration; }).sort(function (a, b) { return RANK[a] - RANK[b]; })[0];
    });
    return out;
  }

  function projection(gs) {
    var lats = gs.map(function (g) { return g.lat; }), lons = gs.map(function (g) { return g.lon; });
    var la0 = Math.min.apply(null, lats), la1 = Math.max.apply(null, lats);
    var lo0 = Math.min.apply(null, lons), lo1 = Math.max.apply(null, lons);
    var k = Math.cos((la0 + la1) / 2 * Math.PI / 180);
    var spanX = Math.max((lo1 - lo0) * k, 0.05), spanY = Math.max(la1 - la0, 0.05);
    var s = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
    var ox = (W - (lo1 - lo0) * k * s) / 2, oy = (H - (la1 - la0) * s) / 2;
    return { k: k, s: s, lo0: lo0, la1: la1,
      x: function (lon) { return ox + (lon - lo0) * k * s; }, y: function (lat) { return oy + (la1 - lat) * s; },
      lon: function (x) { return lo0 + (x - ox) / (k * s); }, lat: function (y) { return la1 - (y - oy) / s; } };
  }

  function niceStep(span) {
    var steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20];
    for (var i = 0; i < steps.length; i++) { if (span / steps[i] <= 4) { return steps[i]; } }
    return 30;
  }

  function graticule(root, pr) {
    var west = pr.lon(0), east = pr.lon(W), north = pr.lat(0), south = pr.lat(H);
    var step = niceStep(Math.min(east - west, north - south));
    var digits = step < 0.1 ? 2 : step < 1 ? 1 : 0;
    for (var lon = Math.ceil(west / step) * step; lon <= east; lon += step) {
      var x = pr.x(lon);
      root.appendChild(svg("line", { class: "grat", x1: x, x2: x, y1: 0, y2: H }));
      root.appendChild(svg("text", { class: "grat-label", x: x + 3, y: H - 6 }, lon.toFixed(digits) + "°" + (lon >= 0 ? "E" : "W")));
    }
    for (var lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
      var y = pr.y(lat);
      root.appendChild(svg("line", { class: "grat", x1: 0, x2: W, y1: y, y2: y }));
      root.appendChild(svg("text", { class: "grat-label", x: 4, y: y - 3 }, lat.toFixed(digits) + "°" + (lat >= 0 ? "N" : "S")));
    }
  }

  function scaleBar(root, pr) {
    var kmPerPx = 111.32 / pr.s;
    var choices = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
    var km = choices.filter(function (c) { return c / kmPerPx <= 150; }).pop() || 0.5;
    var len = km / kmPerPx, x0 = W - 24 - len, y0 = 26;
    root.appendChild(svg("line", { class: "scale", x1: x0, x2: x0 + len, y1: y0, y2: y0 }));
    root.appendChild(svg("line", { class: "scale", x1: x0, x2: x0, y1: y0 - 4, y2: y0 + 4 }));
    root.appendChild(svg("line", { class: "scale", x1: x0 + len, x2: x0 + len, y1: y0 - 4, y2: y0 + 4 }));
    root.appendChild(svg("text", { class: "scale-label", x: x0 + len / 2, y: y0 - 8, "text-anchor": "middle" }, km + " km"));
  }

  function marker(g, pr) {
    var x = pr.x(g.lon), y = pr.y(g.lat), n = g.events.length;
    var tip = g.place + (g.approximate ? " (approximate: province level)" : "") + "\n" +
      g.events.map(function (e) { return PW.fmtDate(e.date) + " · " + PW.typeLabel(e.type) + " · " + PW.STATUS_LABEL[e.corroboration]; }).join("\n");
    var shape = g.approximate
      ? svg("circle", { class: "approx stroke-" + g.worst, cx: x, cy: y, r: 34 })
      : svg("circle", { class: "pt fill-" + g.worst, cx: x, cy: y, r: 5 + Math.min(n, 6) * 1.4 });
    var label = svg("text", { class: "lbl", x: g.approximate ? x : x + 10 + Math.min(n, 6), y: g.approximate ? y + 48 : y + 4,
      "text-anchor": g.approximate ? "middle" : "start" }, g.place + (g.approximate ? " (approx.)" : "") + (n > 1 ? " · " + n : ""));
    return svg("a", { href: PW.eventHref(g.events[0].event_id), "data-place": g.place }, svg("title", {}, tip), shape, label);
  }

  function drawMap(gs) {
    var root = svg("svg", { class: "map-svg", id: "map", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "map of event locations" });
    if (!gs.length) {
      root.appendChild(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "grat-label" }, "No located events match."));
      return root;
    }
    var pr = projection(gs);
    graticule(root, pr);
    scaleBar(root, pr);
    gs.filter(function (g) { return g.approximate; }).forEach(function (g) { root.appendChild(marker(g, pr)); });
    gs.filter(function (g) { return !g.approximate; }).forEach(function (g) { root.appendChild(marker(g, pr)); });
    return root;
  }

  function legend() {
    return el("div", { class: "legend" },
      ["corroborated", "single_source", "contested"].map(function (s) { return el("span", {}, el("i", { class: "seg-" + s }), PW.STATUS_LABEL[s]); }),
      el("span", {}, "dashed circle: place known only to province level (not a precise spot)"),
      el("span", {}, "dot size: number of events"));
  }

  function placeTable(gs) {
    var rows = [];
    gs.forEach(function (g) { g.events.forEach(function (e) { rows.push({ g: g, e: e }); }); });
    return PW.table([
      { label: "Place", cell: function (r) {
        return el("div", {}, r.g.place + (r.g.approximate ? " (province level)" : ""),
          el("div", { class: "mono small muted" }, r.g.lat.toFixed(3) + ", " + r.g.lon.toFixed(3)));
      } },
      { label: "Date", cls: "nowrap", cell: function (r) { return PW.fmtDate(r.e.date); } },
      { label: "Event", cell: function (r) { return el("a", { href: PW.eventHref(r.e.event_id) }, PW.typeLabel(r.e.type) + (r.e.count_best !== null && r.e.count_best !== undefined ? " · " + PW.num(r.e.count_best) + (r.e.counted ? " " + r.e.counted : "") : "")); } },
      { label: "Status", cell: function (r) { return PW.statusBadge(r.e.corroboration); } }
    ], rows, { compact: true });
  }

  function unmapped(items) {
    if (!items.length) { return PW.empty("Every matching event has a place on the map."); }
    return el("ul", { class: "steps" }, items.map(function (e) {
      return el("li", {}, el("a", { href: PW.eventHref(e.event_id) }, e.headline), " ",
        el("span", { class: "muted small" }, e.place ? "(" + PW.placeText(e.place) + ")" : "(no place given)"));
    }));
  }

  function load(values) {
    var app = document.getElementById("results");
    var q = PW.query(values);
    window.history.replaceState(null, "", "/map" + q);
    Promise.all([PW.api("/api/export/events.geojson" + q), PW.api("/api/events" + PW.query(Object.assign({ limit: 500 }, values)))])
      .then(function (r) {
        var gs = groups(r[0].features);
        var mappedIds = {};
        gs.forEach(function (g) { if (g.precision !== "country") { g.events.forEach(function (e) { mappedIds[e.event_id] = 1; }); } });
        var rest = r[1].items.filter(function (e) { return !mappedIds[e.event_id]; });
        var shown = gs.filter(function (g) { return g.precision !== "country"; });
        PW.clear(app);
        var card = PW.section("Event locations", el("span", { class: "muted" }, shown.length + " places · equirectangular projection"));
        card.body.appendChild(el("div", { class: "map-wrap" }, drawMap(shown)));
        card.body.appendChild(legend());
        app.appendChild(card.node);
        var grid = el("div", { class: "grid grid-2" });
        var places = PW.section("Places");
        places.body.className = "card-body flush";
        places.body.appendChild(shown.length ? placeTable(shown) : PW.empty("None."));
        var off = PW.section("Not on the map", el("span", { class: "muted" }, "no coordinates, or country level only"));
        off.body.appendChild(unmapped(rest));
        grid.appendChild(places.node);
        grid.appendChild(off.node);
        grid.style.marginTop = "18px";
        app.appendChild(grid);
      }).catch(function (err) { PW.showError(app, err); });
  }

  function filters(values) {
    var type = el("select", { name: "type", id: "f-type" }, el("option", { value: "" }, "any type"),
      ["pause", "corridor", "evacuation", "medical_evacuation", "aid", "strike", "attack", "casualties", "obstruction",
        "release", "guarantee", "negotiation", "restoration"].map(function (t) { return el("option", { value: t, selected: values.type === t }, PW.typeLabel(t)); }));
    var status = el("select", { name: "status", id: "f-status" }, el("option", { value: "" }, "any status"),
      ["corroborated", "single_source", "contested"].map(function (s) { return el("option", { value: s, selected: values.status === s }, PW.STATUS_LABEL[s]); }));
    var change = function () { load({ type: type.value, status: status.value }); };
    type.addEventListener("change", change);
    status.addEventListener("change", change);
    return el("div", { class: "row" }, type, status);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var values = PW.pageParams(["type", "status"]);
    document.getElementById("page-head").appendChild(filters(values));
    var app = PW.clear(document.getElementById("app"));
    app.appendChild(el("div", { id: "results" }, el("p", { class: "loading" }, "Loading…")));
    load(values);
  });
}());
