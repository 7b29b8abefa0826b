// Inline tag editing for requirement rows (the document page): chips for the labels answered "yes",
// × answers "no" (and so no to its sub-labels), the + box answers "yes" (and so to its parents).
// Each editor is an empty `.inline-tags` in a row with `data-requirement-id`; the URLs and the CSRF
// token are written once, on the table (`data-tags-url` with an "{id}" to fill, `data-bulk-url`,
// `data-labels-url`, `data-csrf`), not on each of its rows.
(function () {
  "use strict";
  if (window.selkoInlineTags) return;
  window.selkoInlineTags = true;

  let labelsPromise = null;

  function settings(root) {
    return root.closest("[data-tags-url]").dataset;
  }

  function requirementId(root) {
    return root.closest("[data-requirement-id]").dataset.requirementId;
  }

  function csrf(root) {
    return settings(root).csrf || "";
  }

  function labels(url) {
    // One request for the whole page, however many rows include the editor.
    labelsPromise = labelsPromise || fetch(url, { credentials: "same-origin" }).then((r) => r.json());
    return labelsPromise;
  }

  function deepest(positive, byId) {
    // Show the deepest chosen labels only: their parents are implied by the path.
    const chosen = positive.map((id) => byId.get(id)).filter(Boolean);
    return chosen.filter((label) => !chosen.some((other) => other.path.startsWith(label.path + " > ")));
  }

  async function send(root, labelId, value) {
    const response = await fetch(settings(root).bulkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(root) },
      body: JSON.stringify({ annotations: [{ requirement: Number(requirementId(root)), label: labelId, value }] }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.error ? body.error.message : "Not saved.");
    }
  }

  async function render(root) {
    const [all, tags] = await Promise.all([
      labels(settings(root).labelsUrl),
      fetch(settings(root).tagsUrl.replace("{id}", requirementId(root)), { credentials: "same-origin" }).then((r) => r.json()),
    ]);
    const byId = new Map(all.map((label) => [label.id, label]));
    root.replaceChildren();
    for (const label of deepest(tags.positive, byId)) {
      const chip = document.createElement("span");
      chip.className = "lb-chip";
      chip.style.setProperty("--color", label.color);
      chip.textContent = label.path + " ";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.title = "Answer no";
      remove.setAttribute("aria-label", "Remove " + label.path);
      remove.textContent = "×";
      remove.addEventListener("click", () => update(root, label.id, false));
      chip.append(remove);
      root.append(chip);
    }
    for (const tag of tags.predicted.filter((t) => t.predicted && !tags.positive.includes(t.label) && !tags.negative.includes(t.label))) {
      const suggestion = document.createElement("button");
      suggestion.type = "button";
      suggestion.className = "lb-chip suggested";
      suggestion.title = "Model v" + tag.model_version + " suggests it (" + tag.score.toFixed(2) + "): click to accept";
      suggestion.textContent = tag.path + " ?";
      suggestion.addEventListener("click", () => update(root, tag.label, true));
      root.append(suggestion);
    }
    const input = document.createElement("input");
    input.className = "inline-tags-add";
    input.placeholder = "+ tag";
    const listId = "inline-tags-labels";
    if (!document.getElementById(listId)) {
      const list = document.createElement("datalist");
      list.id = listId;
      all.forEach((label) => { const option = document.createElement("option"); option.value = label.path; list.append(option); });
      document.body.append(list);
    }
    input.setAttribute("list", listId);
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const wanted = input.value.trim().toLowerCase();
      const label = all.find((l) => l.path.toLowerCase() === wanted) || all.find((l) => l.name.toLowerCase() === wanted);
      if (label) update(root, label.id, true);
      else input.setCustomValidity("No such label"), input.reportValidity();
    });
    input.addEventListener("input", () => input.setCustomValidity(""));
    root.append(input);
  }

  async function update(root, labelId, value) {
    try {
      await send(root, labelId, value);
      await render(root);
    } catch (error) {
      root.title = error.message;
      root.classList.add("error");
    }
  }

  function start() {
    document.querySelectorAll(".inline-tags").forEach((root) => render(root).catch(() => {}));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
