/* pausewatch dashboard: shared helpers.
 * Every piece of report text is hostile. It only ever reaches the page through text nodes
 * (textContent / createTextNode); this file never assigns innerHTML, outerHTML or insertAdjacentHTML,
 * and links only accept same-site paths or http(s) URLs. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var TOKEN_KEY = "pausewatch-token";
  var ANALYST_KEY = "pausewatch-analyst";
  var NAV = [
    ["overview", "/", "Overview"],
    ["events", "/events", "Events"],
    ["map", "/map", "Map"],
    ["sources", "/sources", "Sources"],
    ["documents", "/documents", "Documents"],
    ["reviews", "/reviews", "Reviews"],
    ["upload", "/upload", "Upload"],
    ["api", "/api-reference", "API"]
  ];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var STATUS_LABEL = { corroborated: "corroborated", single_source: "single source", contested: "contested" };

  /* ------------------------------------------------------------ safe DOM building */

  function safeUrl(url) {
    var text = String(url || "");
    if (/^\/(?!\/)/.test(text)) { return text; }
    return /^https?:\/\/[^\s]+$/i.test(text) ? text : null;
  }

  function setAttr(node, name, value) {
    if (value === null || value === undefined || value === false) { return; }
    var key = String(name).toLowerCase();
    if (key.indexOf("on") === 0 || key === "style" || key === "srcdoc") { return; }
    if (key === "href" || key === "src" || key === "action" || key === "xlink:href") {
      var url = safeUrl(value);
      if (url === null) { return; }
      value = url;
    }
    node.setAttribute(name, value === true ? "" : String(value));
  }

  function append(node, children) {
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      if (Array.isArray(child)) { append(node, child); return; }
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function build(node, attrs, children) {
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (name === "text") { node.textContent = value === null || value === undefined ? "" : String(value); }
      else if (name === "class") { if (value) { node.setAttribute("class", value); } }
      else if (name === "on") { Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); }); }
      else if (name === "props") { Object.keys(value).forEach(function (p) { node[p] = value[p]; }); }
      else { setAttr(node, name, value); }
    });
    return append(node, children);
  }

  function el(tag, attrs) {
    return build(document.createElement(tag), attrs, Array.prototype.slice.call(arguments, 2));
  }

  function svg(tag, attrs) {
    return build(document.createElementNS(SVG_NS, tag), attrs, Array.prototype.slice.call(arguments, 2));
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    return node;
  }

  /* ------------------------------------------------------------ API */

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
  function analyst() { return sessionStorage.getItem(ANALYST_KEY) || ""; }

  function saveIdentity(tok, name) {
    if (tok) { sessionStorage.setItem(TOKEN_KEY, tok); } else { sessionStorage.removeItem(TOKEN_KEY); }
    if (name) { sessionStorage.setItem(ANALYST_KEY, name); } else { sessionStorage.removeItem(ANALYST_KEY); }
    renderMode();
  }

  function api(path, options) {
    var opts = options || {};
    var headers = opts.headers || {};
    if (opts.auth && token()) { headers.Authorization = "Bearer " + token(); }
    if (opts.json !== undefined) {
      headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(opts.json);
    }
    return fetch(path, { method: opts.method || "GET", headers: headers, body: opts.body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return { ok: false, error: "HTTP " + response.status }; })
          .then(function (body) {
            if (!response.ok || body.ok === false) {
              var err = new Error(body.error || ("HTTP " + response.status));
              err.status = response.status;
              throw err;
            }
            return body;
          });
      });
  }

  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== "") { q.set(k, params[k]); }
    });
    var text = q.toString();
    return text ? "?" + text : "";
  }

  function pageParams(names) {
    var here = new URLSearchParams(window.location.search);
    var out = {};
    names.forEach(function (n) { out[n] = here.get(n) || ""; });
    return out;
  }

  function lastSegment() {
    var parts = window.location.pathname.split("/").filter(Boolean);
    return decodeURIComponent(parts[parts.length - 1] || "");
  }

  /* ------------------------------------------------------------ formatting */

  function fmtDate(iso) {
    if (!iso) { return "undated"; }
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? (+m[3]) + " " + MONTHS[+m[2] - 1] + " " + m[1] : String(iso);
  }

  function fmtWhen(iso) {
    if (!iso) { return ""; }
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return String(iso); }
    return fmtDate(d.toISOString().slice(0, 10)) + " " + d.toISOString().slice(11, 16) + " UTC";
  }

  function plural(n, word, many) { return num(n) + " " + (n === 1 ? word : (many || word + "s")); }

  function num(n) { return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-GB"); }
  function typeLabel(t) { return String(t || "").replace(/_/g, " "); }
  function eventHref(id) { return "/events/" + encodeURIComponent(id); }
  function docHref(id) { return "/documents/" + encodeURIComponent(id); }

  function placeText(place) {
    if (!place) { return "place not given"; }
    var name = place.canonical || place.name;
    if (place.precision === "admin1") { return name + " (province level)"; }
    if (place.precision === "country") { return name + " (country level)"; }
    return place.admin1 && place.admin1 !== name ? name + ", " + place.admin1 : name;
  }

  function statusBadge(status) {
    return el("span", { class: "badge status-" + status, title: "Corroboration: " + (STATUS_LABEL[status] || status) },
      STATUS_LABEL[status] || status);
  }

  function gradeBadge(review) {
    if (!review || !review.grade) { return null; }
    return el("span", { class: "badge grade grade-" + review.grade,
      title: "Analyst grade by " + review.analyst + (review.note ? ": " + review.note : "") }, "graded " + review.grade);
  }

  function typeChip(type) { return el("span", { class: "chip type-chip" }, typeLabel(type)); }
  function categoryChip(cat) { return el("span", { class: "chip cat cat-" + String(cat).replace(/\s+/g, "-") }, cat); }

  function figureText(f) {
    if (!f) { return ""; }
    var range = f.low === f.high ? num(f.best) : num(f.low) + "–" + num(f.high);
    return range + (f.counted ? " " + f.counted : "");
  }

  /* ------------------------------------------------------------ page chrome */

  function renderNav() {
    var active = document.body.getAttribute("data-page");
    var bar = document.getElementById("topbar");
    if (!bar) { return; }
    clear(bar);
    var links = NAV.map(function (item) {
      return el("a", { href: item[1], class: item[0] === active ? "active" : "", "aria-current": item[0] === active ? "page" : null }, item[2]);
    });
    bar.appendChild(el("div", { class: "topbar-inner" },
      el("a", { class: "brand", href: "/" }, el("span", { class: "brand-mark", "aria-hidden": "true" }), "pausewatch"),
      el("nav", { class: "nav", "aria-label": "Main" }, links),
      el("div", { id: "mode", class: "mode" })));
    renderMode();
  }

  var serverStatus = null;

  function renderMode() {
    var box = document.getElementById("mode");
    if (!box) { return; }
    clear(box);
    if (serverStatus && serverStatus.read_only) {
      box.appendChild(el("span", { class: "pill pill-muted", title: "Started without --token: uploads and reviews are off" }, "read-only"));
    } else if (token()) {
      box.appendChild(el("span", { class: "pill pill-ok", title: "A token is stored for this tab" }, "analyst" + (analyst() ? ": " + analyst() : "")));
    } else {
      box.appendChild(el("a", { class: "pill pill-link", href: "/upload#token" }, "enter token"));
    }
  }

  function loadStatus() {
    return api("/api/status").then(function (s) { serverStatus = s; renderMode(); return s; })
      .catch(function () { return null; });
  }

  function showError(container, err) {
    clear(container);
    container.appendChild(el("div", { class: "alert alert-error", role: "alert" },
      el("strong", {}, "Could not load: "), err && err.message ? err.message : String(err)));
  }

  function empty(text) { return el("p", { class: "empty" }, text); }

  function section(title, extra) {
    var body = el("div", { class: "card-body" });
    var head = el("div", { class: "card-head" }, el("h2", {}, title), extra || null);
    return { node: el("section", { class: "card" }, head, body), body: body };
  }

  function table(columns, rows, opts) {
    var head = el("tr", {}, columns.map(function (c) { return el("th", { class: c.cls || "", scope: "col" }, c.label); }));
    var body = el("tbody", {}, rows.map(function (row) {
      return el("tr", {}, columns.map(function (c) { return el("td", { class: c.cls || "" }, c.cell(row)); }));
    }));
    return el("div", { class: "table-wrap" }, el("table", { class: "table" + (opts && opts.compact ? " compact" : "") }, el("thead", {}, head), body));
  }

  function pager(page, onPage) {
    if (page.total <= page.limit && page.offset === 0) {
      return el("p", { class: "muted small" }, num(page.total) + " shown");
    }
    var last = Math.min(page.offset + page.limit, page.total);
    var prev = el("button", { class: "btn btn-small", type: "button", disabled: page.offset === 0,
      on: { click: function () { onPage(Math.max(0, page.offset - page.limit)); } } }, "‹ Previous");
    var next = el("button", { class: "btn btn-small", type: "button", disabled: last >= page.total,
      on: { click: function () { onPage(page.offset + page.limit); } } }, "Next ›");
    return el("div", { class: "pager" }, prev, el("span", { class: "muted small" },
      num(page.offset + 1) + "–" + num(last) + " of " + num(page.total)), next);
  }

  /* ------------------------------------------------------------ highlighted text */

  /* spans: [{start, end, cls, title, href}] in UTF-16 offsets (the API's start_utf16/end_utf16). */
  function highlight(text, spans) {
    var cuts = [0, text.length];
    spans.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts = cuts.filter(function (c, i, all) { return c >= 0 && c <= text.length && all.indexOf(c) === i; })
      .sort(function (a, b) { return a - b; });
    var frag = document.createDocumentFragment();
    var open = null;
    var openKey = "";
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      var cover = spans.filter(function (s) { return s.start <= a && b <= s.end && s.start < s.end; });
      var piece = text.slice(a, b);
      if (!cover.length) { frag.appendChild(document.createTextNode(piece)); open = null; openKey = ""; continue; }
      var key = cover.map(function (s) { return s.key || (s.start + "-" + s.end); }).join("|");
      if (open && key === openKey) { open.appendChild(document.createTextNode(piece)); continue; }
      open = markFor(cover, piece);
      openKey = key;
      frag.appendChild(open);
    }
    return frag;
  }

  function markFor(cover, piece) {
    var strongest = cover.filter(function (s) { return s.cls === "current"; })[0] || cover[0];
    var mark = el("mark", { class: "hl " + (strongest.cls || "") + (cover.length > 1 ? " multi" : ""),
      title: cover.map(function (s) { return s.title; }).join("\n") }, piece);
    if (strongest.eventId) { mark.setAttribute("data-event", strongest.eventId); }
    return mark;
  }

  /* ------------------------------------------------------------ token form */

  function tokenForm(onSaved) {
    var tokenInput = el("input", { type: "password", id: "token-input", name: "token", autocomplete: "off",
      placeholder: "bearer token", props: { value: token() } });
    var nameInput = el("input", { type: "text", id: "analyst-input", name: "analyst", maxlength: "100",
      placeholder: "your name (kept with each review)", props: { value: analyst() } });
    var note = el("p", { class: "small muted", id: "token-status" },
      token() ? "A token is stored for this browser tab." : "The token stays in this tab only (sessionStorage).");
    var form = el("form", { class: "token-form", id: "token" },
      el("label", { for: "token-input" }, "Token"), tokenInput,
      el("label", { for: "analyst-input" }, "Analyst"), nameInput,
      el("div", { class: "row" },
        el("button", { class: "btn btn-primary", type: "submit" }, "Save and check"),
        el("button", { class: "btn", type: "button", on: { click: function () {
          tokenInput.value = ""; saveIdentity("", nameInput.value.trim()); note.textContent = "Token forgotten.";
          if (onSaved) { onSaved(false); }
        } } }, "Forget")),
      note);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      saveIdentity(tokenInput.value.trim(), nameInput.value.trim());
      note.textContent = "Checking…";
      note.className = "small muted";
      api("/api/auth/check", { auth: true }).then(function () {
        note.textContent = "Token accepted.";
        note.className = "small ok";
        if (onSaved) { onSaved(true); }
      }).catch(function (err) {
        note.textContent = "Token not accepted: " + err.message;
        note.className = "small bad";
        if (onSaved) { onSaved(false); }
      });
    });
    return form;
  }

  /* A report's cross-source credibility: the score, and the sentence that says how it was reached. */
  function credibilityCell(c) {
    if (!c) { return el("span", { class: "muted", title: "No rating in the data" }, "—"); }
    return el("div", {}, el("span", { class: "chip", title: "cross-source agreement, 0 to 1" }, c.score.toFixed(2)),
      el("div", { class: "small muted" }, c.explanation));
  }

  window.PW = {
    el: el, svg: svg, clear: clear, api: api, query: query, pageParams: pageParams, lastSegment: lastSegment,
    fmtDate: fmtDate, fmtWhen: fmtWhen, num: num, plural: plural, typeLabel: typeLabel, eventHref: eventHref, docHref: docHref,
    placeText: placeText, statusBadge: statusBadge, gradeBadge: gradeBadge, typeChip: typeChip,
    categoryChip: categoryChip, figureText: figureText, showError: showError, empty: empty, section: section,
    table: table, pager: pager, highlight: highlight, tokenForm: tokenForm, token: token, analyst: analyst,
    loadStatus: loadStatus, safeUrl: safeUrl, credibilityCell: credibilityCell, STATUS_LABEL: STATUS_LABEL
  };

  document.addEventListener("DOMContentLoaded", function () { renderNav(); loadStatus(); });
}());
