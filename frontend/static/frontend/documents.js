// Documents pages: drag-and-drop upload with a progress bar per file, then live ingest status.
// Plain JavaScript, no dependencies. Uploads go to the REST API with the session's CSRF token; the status
// comes from a small JSON endpoint polled while a document is queued or parsing.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function csrfToken(scope) {
    var input = scope.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // ---- upload ------------------------------------------------------------------------------------

  function uploadOne(zone, file, item) {
    return new Promise(function (resolve) {
      var bar = item.querySelector(".progress > span");
      var note = item.querySelector(".upload-note");
      var xhr = new XMLHttpRequest();
      var form = new FormData();
      form.append("file", file, file.name);
      xhr.open("POST", zone.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrfToken(zone));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) {
          bar.style.width = Math.round((100 * event.loaded) / event.total) + "%";
          note.textContent = "Uploading… " + Math.round((100 * event.loaded) / event.total) + "%";
        }
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
        bar.style.width = "100%";
        if (xhr.status === 201 || xhr.status === 200) {
          item.classList.add("done");
          if (xhr.status === 200) {
            note.textContent = "Identical to the current revision: nothing new to read.";
          } else if (body && body.status === "failed") {
            item.classList.add("failed");
            note.textContent = "Refused: " + body.error_message;
          } else {
            note.textContent = "Uploaded" + (body && body.revision > 1 ? " as revision " + body.revision : "") + "; queued for reading.";
          }
          resolve(true);
        } else {
          item.classList.add("failed");
          note.textContent = (body && body.error && body.error.message) || ("Upload failed (HTTP " + xhr.status + ").");
          resolve(false);
        }
      };
      xhr.onerror = function () {
        item.classList.add("failed");
        note.textContent = "Upload failed: the server could not be reached.";
        resolve(false);
      };
      xhr.send(form);
    });
  }

  function uploadAll(zone, files) {
    var list = zone.querySelector(".uploads");
    var items = Array.prototype.map.call(files, function (file) {
      var item = el("li", "upload");
      item.appendChild(el("span", "upload-name", file.name));
      var progress = el("div", "progress");
      progress.appendChild(el("span"));
      item.appendChild(progress);
      item.appendChild(el("span", "upload-note muted small", "Waiting…"));
      list.appendChild(item);
      return item;
    });
    zone.classList.add("busy");
    // One file at a time keeps each progress bar meaningful and the server's load even.
    var chain = Promise.resolve([]);
    Array.prototype.forEach.call(files, function (file, index) {
      chain = chain.then(function (results) {
        return uploadOne(zone, file, items[index]).then(function (ok) { return results.concat([ok]); });
      });
    });
    chain.then(function (results) {
      zone.classList.remove("busy");
      var allOk = results.every(Boolean);
      if (zone.dataset.afterUploadUrl && allOk) {
        window.location.href = zone.dataset.afterUploadUrl;
        return;
      }
      watchTable(true);
    });
  }

  function setUpDropzone(zone) {
    var input = zone.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) uploadAll(zone, event.dataTransfer.files);
    });
    input.addEventListener("change", function () {
      if (input.files.length) uploadAll(zone, input.files);
      input.value = "";
    });
  }

  // ---- live status ---------------------------------------------------------------------------------

  function fillStatus(cell, doc) {
    cell.textContent = "";
    cell.appendChild(el("span", "badge " + doc.status, doc.progress_text)).dataset.role = "status";
    if (doc.status === "parsing") {
      var progress = el("div", "progress");
      var fill = el("span");
      fill.style.width = (doc.progress_total ? Math.round((100 * doc.progress_done) / doc.progress_total) : 0) + "%";
      progress.appendChild(fill);
      cell.appendChild(progress);
    }
    if (doc.status === "failed" && doc.error_message) {
      cell.appendChild(el("p", "error small", doc.error_message)).dataset.role = "error";
    }
  }

  function extent(doc) {
    if (doc.page_count) return doc.page_count + " pages";
    if (doc.row_count) return doc.row_count + " rows";
    return "";
  }

  function tableRow(doc) {
    var row = el("tr");
    row.dataset.documentId = doc.id;
    var name = el("td");
    var link = el("a", null, doc.name);
    link.href = doc.url;
    name.appendChild(link);
    if (doc.revision > 1) name.appendChild(el("span", "muted small", " rev. " + doc.revision));
    row.appendChild(name);
    row.appendChild(el("td", "mono", doc.kind));
    row.appendChild(el("td", "status-cell"));
    row.appendChild(el("td", "num", doc.size));
    row.appendChild(el("td", "num", "")).dataset.role = "extent";
    row.appendChild(el("td", "num", "")).dataset.role = "count";
    row.appendChild(el("td", null, "just now"));
    return row;
  }

  function updateRow(row, doc) {
    fillStatus(row.querySelector(".status-cell"), doc);
    row.querySelector("[data-role=extent]").textContent = extent(doc);
    row.querySelector("[data-role=count]").textContent = doc.requirement_count;
    row.dataset.settled = doc.settled ? "1" : "0";
  }

  var tableTimer = null;

  function watchTable(force) {
    var table = document.getElementById("document-table");
    if (!table || tableTimer) return;
    var pending = table.querySelector("tr[data-settled='0']");
    if (!pending && !force) return;
    function poll() {
      fetch(table.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var body = table.tBodies[0];
          var empty = body.querySelector(".empty-row");
          if (empty && data.documents.length) empty.remove();
          var unsettled = 0;
          data.documents.forEach(function (doc) {
            var row = body.querySelector("tr[data-document-id='" + doc.id + "']");
            if (!row) {
              row = tableRow(doc);
              body.appendChild(row);
            }
            updateRow(row, doc);
            if (!doc.settled) unsettled += 1;
          });
          tableTimer = unsettled ? window.setTimeout(poll, POLL_MS) : null;
        })
        .catch(function () { tableTimer = window.setTimeout(poll, POLL_MS * 3); });
    }
    tableTimer = window.setTimeout(poll, 0);
  }

  function watchDocument(box) {
    if (box.dataset.settled === "1") return;
    var id = Number(box.dataset.documentId);
    function poll() {
      fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var doc = data.documents.filter(function (d) { return d.id === id; })[0];
          if (!doc) return;
          if (doc.settled) {
            window.location.reload(); // the requirements are rendered by the server
            return;
          }
          var holder = el("div");
          fillStatus(holder, doc);
          Array.prototype.forEach.call(box.querySelectorAll("[data-role=status], .progress, [data-role=error]"),
            function (node) { node.remove(); });
          while (holder.lastChild) box.insertBefore(holder.lastChild, box.firstChild);
          window.setTimeout(poll, POLL_MS);
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 3); });
    }
    window.setTimeout(poll, POLL_MS);
  }

  // The CSP allows no inline handlers, so a form asks for confirmation through data-confirm; listened
  // to on the document, for the forms copied into the page later too.
  function confirmBeforeSubmit(event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }

  // A row's "Correct" box is empty until it is opened: then it gets a copy of the page's correction
  // forms (#segment-correct-forms) with the row's id and ID, and the one "Mark" button that applies.
  function fillCorrections(event) {
    var summary = event.target.closest && event.target.closest("details.segment-correct > summary");
    var forms = document.getElementById("segment-correct-forms");
    if (!summary || !forms || summary.parentNode.querySelector("form")) return;
    var row = summary.closest("tr[data-requirement-id]");
    var copy = forms.content.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("input[name=requirement]"), function (input) {
      input.value = row.dataset.requirementId;
    });
    copy.querySelector("input[name=external_id]").value = row.querySelector(".external-id").textContent;
    var mark = row.classList.contains("informative") ? ".mark-requirement" : ".mark-informative";
    Array.prototype.forEach.call(copy.querySelectorAll(".segment-mark button"), function (button) {
      if (button.matches(mark)) copy.querySelector("input[name=is_requirement]").value = button.dataset.isRequirement;
      else button.remove();
    });
    summary.parentNode.append(copy);
  }

  function start() {
    document.addEventListener("submit", confirmBeforeSubmit);
    document.addEventListener("click", fillCorrections);
    Array.prototype.forEach.call(document.querySelectorAll(".dropzone"), setUpDropzone);
    watchTable(false);
    var box = document.getElementById("document-status");
    if (box) watchDocument(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
