/* API reference: the endpoints listed from /openapi.json, readable offline (the /docs page needs a CDN). */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;

  function params(op) {
    var names = (op.parameters || []).map(function (p) { return p.name + (p.required ? "*" : ""); });
    if (op.requestBody) { names.push("body: " + Object.keys(op.requestBody.content || {}).join(", ")); }
    return names.length ? names.join(" · ") : "";
  }

  function endpoint(path, method, op) {
    var locked = (op.responses || {})["401"] && !/\(token\)/.test(op.summary || "") ? " (token)" : "";
    var link = method === "get" && path.indexOf("{") < 0 ? el("a", { href: path, class: "path" }, path) : el("span", { class: "path" }, path);
    return el("div", { class: "endpoint" }, el("span", { class: "method method-" + method }, method.toUpperCase()),
      el("div", {}, link, " ", el("span", { class: "small muted" }, (op.summary || "") + locked)),
      el("div", { class: "params" }, params(op)));
  }

  document.addEventListener("DOMContentLoaded", function () {
    fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (spec) {
      var app = PW.clear(document.getElementById("app"));
      var card = PW.section(spec.info.title + " " + spec.info.version, el("span", { class: "row" },
        el("a", { class: "btn btn-small", href: "/openapi.json" }, "openapi.json"), el("a", { class: "btn btn-small", href: "/docs" }, "Swagger UI")));
      card.body.appendChild(el("p", { class: "small muted" }, "Write endpoints need 'Authorization: Bearer TOKEN'. Errors are JSON: {\"ok\": false, \"error\": \"…\"}. Every list takes limit and offset."));
      Object.keys(spec.paths).forEach(function (path) {
        Object.keys(spec.paths[path]).forEach(function (method) { card.body.appendChild(endpoint(path, method, spec.paths[path][method])); });
      });
      app.appendChild(card.node);
    }).catch(function (err) { PW.showError(document.getElementById("app"), err); });
  });
}());
