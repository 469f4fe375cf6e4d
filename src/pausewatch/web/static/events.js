/* Events: filterable, paged table of every event. Filters live in the URL so a view can be shared. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;
  var TYPES = ["pause", "corridor", "evacuation", "medical_evacuation", "aid", "strike", "attack", "casualties",
    "obstruction", "release", "guarantee", "negotiation", "restoration"];
  var FIELDS = ["type", "status", "date_from", "date_to", "place", "source", "q"];
  var LIMIT = 50;

  function select(name, label, options, value) {
    var s = el("select", { id: "f-" + name, name: name }, el("option", { value: "" }, "any"),
      options.map(function (o) { return el("option", { value: o[0], selected: o[0] === value }, o[1]); }));
    return el("div", { class: "field" }, el("label", { for: "f-" + name }, label), s);
  }

  function input(name, label, type, value, placeholder) {
    return el("div", { class: "field" }, el("label", { for: "f-" + name }, label),
      el("input", { id: "f-" + name, name: name, type: type, placeholder: placeholder || "", maxlength: "200", props: { value: value || "" } }));
  }

  function filterForm(values, onSubmit) {
    var form = el("form", { class: "filters", id: "filters" },
      select("type", "Type", TYPES.map(function (t) { return [t, PW.typeLabel(t)]; }), values.type),
      select("status", "Status", [["corroborated", "corroborated"], ["single_source", "single source"], ["contested", "contested"]], values.status),
      input("date_from", "From", "date", values.date_from), input("date_to", "To", "date", values.date_to),
      input("place", "Place", "text", values.place, "town or province"),
      input("source", "Source", "text", values.source, "outlet or speaker"),
      input("q", "Evidence contains", "text", values.q, "words"),
      el("div", { class: "field" }, el("span", { class: "small" }, " "), el("div", { class: "row" },
        el("button", { class: "btn btn-primary", type: "submit" }, "Filter"),
        el("a", { class: "btn", href: "/events" }, "Reset"))));
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var out = {};
      FIELDS.forEach(function (f) { out[f] = form.elements[f].value.trim(); });
      onSubmit(out);
    });
    return form;
  }

  var COLUMNS = [
    { label: "Date", cls: "nowrap", cell: function (e) { return PW.fmtDate(e.date); } },
    { label: "Event", cls: "eventcol", cell: function (e) {
      return el("div", {}, el("a", { href: PW.eventHref(e.event_id) }, e.headline),
        el("div", { class: "small muted" }, e.attribution));
    } },
    { label: "Type", cell: function (e) { return PW.typeChip(e.type); } },
    { label: "Place", cell: function (e) { return e.place ? PW.placeText(e.place) : el("span", { class: "muted" }, "—"); } },
    { label: "Figures", cls: "figcol", cell: function (e) { return PW.figureText(e.figures) || "—"; } },
    { label: "Claims", cls: "num", cell: function (e) { return PW.num(e.n_claims); } },
    { label: "Status", cls: "nowrap", cell: function (e) { return el("div", { class: "chips" }, PW.statusBadge(e.corroboration), PW.gradeBadge(e.review)); } }
  ];

  function load(values, offset) {
    var box = document.getElementById("results");
    var params = Object.assign({}, values, { limit: LIMIT, offset: offset });
    window.history.replaceState(null, "", "/events" + PW.query(values));
    PW.api("/api/events" + PW.query(params)).then(function (page) {
      PW.clear(box);
      box.appendChild(page.items.length ? PW.table(COLUMNS, page.items) : PW.empty("No events match these filters."));
      box.appendChild(PW.pager(page, function (o) { load(values, o); }));
      document.getElementById("count").textContent = PW.num(page.total) + " events";
      exportLinks(values);
    }).catch(function (err) { PW.showError(box, err); });
  }

  function exportLinks(values) {
    var box = PW.clear(document.getElementById("exports"));
    var q = PW.query(values);
    [["JSON", "events.json"], ["CSV", "events.csv"], ["HXL CSV", "events.hxl.csv"], ["Claims CSV", "claims.csv"], ["GeoJSON", "events.geojson"]]
      .forEach(function (x) { box.appendChild(el("a", { class: "btn btn-small", href: "/api/export/" + x[1] + q }, x[0])); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var values = PW.pageParams(FIELDS);
    var app = PW.clear(document.getElementById("app"));
    var card = PW.section("Filter", el("span", { id: "count", class: "muted" }));
    card.body.appendChild(filterForm(values, function (v) { load(v, 0); }));
    app.appendChild(card.node);
    var list = PW.section("Events", el("div", { class: "row", id: "exports" }));
    list.body.className = "card-body flush";
    list.body.appendChild(el("div", { id: "results" }, el("p", { class: "loading" }, "Loading…")));
    app.appendChild(el("div", { class: "stack" }, list.node));
    list.node.style.marginTop = "18px";
    load(values, 0);
  });
}());
