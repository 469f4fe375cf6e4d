/* Upload: token, files or URLs, and the progress of the background ingestion job. */
(function () {
  "use strict";
  var PW = window.PW, el = PW.el;
  var POLL_MS = 700;
  var status = null;

  function jobCard(job) {
    var running = job.state === "queued" || job.state === "running";
    var bar = el("div", { class: "progress" + (running ? " indeterminate" : "") }, el("span", {}));
    if (!running) { bar.firstChild.style.width = "100%"; }
    var result = job.result ? el("div", { class: "small" },
      el("div", {}, PW.plural(job.result.documents_new, "new report") + ", " + PW.num(job.result.documents_known) + " already stored; " +
        PW.plural(job.result.events, "event") + " (" + PW.num(job.result.contradictions) + " contested) in the store now."),
      job.result.rejected.length ? el("div", { class: "bad" }, "Not read: ", job.result.rejected.map(function (r) { return r.source + " (" + r.reason + ": " + r.detail + ")"; }).join("; ")) : null,
      el("div", { class: "row" }, el("a", { href: "/", class: "btn btn-small" }, "See the timeline"), el("a", { href: "/events", class: "btn btn-small" }, "Browse events")))
      : null;
    return el("div", { class: "job", id: "job-" + job.id, "data-state": job.state },
      el("div", { class: "row" }, el("span", { class: "job-state " + job.state }, job.state),
        running ? el("span", { class: "muted small" }, job.stage) : null,
        el("span", { class: "small" }, PW.plural(job.documents, "document") + " processed"),
        el("span", { class: "small muted" }, PW.fmtWhen(job.created_at))),
      bar, el("div", { class: "small muted" }, job.sources.join(", ")),
      job.error ? el("div", { class: "alert alert-error" }, job.error) : null, result);
  }

  function follow(job) {
    var box = document.getElementById("current-job");
    PW.clear(box).appendChild(jobCard(job));
    if (job.state === "done" || job.state === "failed") { loadJobs(job.id); return; }
    window.setTimeout(function () {
      PW.api("/api/jobs/" + encodeURIComponent(job.id)).then(follow)
        .catch(function (err) { PW.showError(box, err); });
    }, POLL_MS);
  }

  function uploadForm() {
    var files = el("input", { type: "file", id: "files", name: "files", multiple: true, accept: ".txt,.html,.htm,.json,.jsonl,.csv,.xml,.rss,.atom" });
    var chosen = el("div", { class: "small muted", id: "chosen" }, "No files chosen.");
    var drop = el("div", { class: "drop", id: "drop" }, el("div", {}, el("b", {}, "Drop report files here"), " or choose them:"), files, chosen);
    var urls = el("textarea", { id: "urls", name: "urls", rows: "3", maxlength: "20000", placeholder: "https://example.org/article-or-feed (one per line)" });
    var msg = el("p", { class: "small", role: "status", id: "upload-msg" });
    var button = el("button", { class: "btn btn-primary", type: "submit", id: "upload-button" }, "Upload and ingest");
    var dropped = null;
    files.addEventListener("change", function () { dropped = null; describe(files.files, chosen); });
    ["dragenter", "dragover"].forEach(function (t) { drop.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.add("over"); }); });
    ["dragleave", "drop"].forEach(function (t) { drop.addEventListener(t, function () { drop.classList.remove("over"); }); });
    drop.addEventListener("drop", function (ev) { ev.preventDefault(); dropped = ev.dataTransfer.files; describe(dropped, chosen); });
    var form = el("form", { id: "upload-form", class: "stack" }, drop,
      el("div", {}, el("label", { for: "urls" }, "Or URLs of articles or RSS/Atom feeds"), urls),
      el("div", { class: "row" }, button), msg);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = new FormData();
      Array.prototype.forEach.call(dropped || files.files, function (f) { data.append("files", f, f.name); });
      data.append("urls", urls.value);
      msg.className = "small muted";
      msg.textContent = "Uploading…";
      button.disabled = true;
      PW.api("/api/uploads", { method: "POST", auth: true, body: data }).then(function (job) {
        msg.className = "small ok";
        msg.textContent = "Accepted: job " + job.id.slice(0, 8) + " is running in the background.";
        form.reset(); dropped = null; chosen.textContent = "No files chosen.";
        follow(job);
        loadJobs(job.id);
      }).catch(function (err) {
        msg.className = "small bad";
        msg.textContent = err.status === 401 || err.status === 403 ? "Not allowed: " + err.message + ". Check the token." : err.message;
      }).then(function () { button.disabled = false; });
    });
    return form;
  }

  function describe(list, box) {
    var names = Array.prototype.map.call(list || [], function (f) { return f.name + " (" + PW.num(Math.ceil(f.size / 1024)) + " KB)"; });
    box.textContent = names.length ? names.join(", ") : "No files chosen.";
  }

  function loadJobs(shown) {
    var box = document.getElementById("jobs");
    PW.api("/api/jobs?limit=10").then(function (page) {
      var others = page.items.filter(function (j) { return j.id !== shown; });
      PW.clear(box);
      if (!others.length) { box.appendChild(PW.empty(shown ? "No other uploads since the server started." : "No uploads since the server started.")); }
      others.forEach(function (j) { box.appendChild(jobCard(j)); });
    }).catch(function (err) { PW.showError(box, err); });
  }

  function howItWorks() {
    var card = PW.section("What happens to an upload");
    card.body.appendChild(el("ol", { class: "steps" },
      el("li", {}, "Files are kept in a private temporary folder; URLs are fetched (http and https only)."),
      el("li", {}, "Boilerplate is stripped, outlet and date are guessed, and every claim is extracted with its evidence sentence."),
      el("li", {}, "Claims are merged into events with everything already stored; analysts' merges and splits are replayed."),
      el("li", {}, "A report already stored (same bytes) is skipped: uploading twice changes nothing.")));
    return card.node;
  }

  function render() {
    var app = PW.clear(document.getElementById("app"));
    var token = PW.section("Analyst token");
    if (status && status.read_only) {
      token.body.appendChild(el("p", { class: "alert alert-info" }, "This server is read-only: start it with --token (or PAUSEWATCH_API_TOKEN) to allow uploads."));
    } else {
      token.body.appendChild(PW.tokenForm());
    }
    var upload = PW.section("Add reports");
    upload.body.appendChild(uploadForm());
    upload.body.appendChild(el("div", { id: "current-job" }));
    var jobs = PW.section("Recent jobs");
    jobs.body.appendChild(el("div", { id: "jobs" }, el("p", { class: "loading" }, "Loading…")));
    app.appendChild(el("div", { class: "grid grid-2" }, el("div", { class: "stack" }, upload.node, jobs.node),
      el("div", { class: "stack" }, token.node, howItWorks())));
    loadJobs();
  }

  document.addEventListener("DOMContentLoaded", function () {
    PW.api("/api/status").then(function (s) { status = s; }).catch(function () { status = null; }).then(render);
  });
}());
