// Keyboard-driven labeling. Number keys toggle the visible labels, "/" filters, j/k move a cursor,
// Space toggles it, Enter saves and goes on, a/r accept or reject the model's suggestions, s skips.
// The hierarchy is mirrored here so the screen shows what will be stored: a child brings its
// ancestors, unticking a parent unticks its descendants. The server applies the same rules anyway.
(function () {
  "use strict";
  const form = document.getElementById("label-form");
  const tree = document.getElementById("label-tree");
  if (!form || !tree) return;
  const filter = document.getElementById("label-filter");
  const items = Array.from(tree.querySelectorAll(".lb-label"));
  const byId = new Map(items.map((li) => [li.dataset.id, li]));
  let cursor = -1;

  const box = (li) => li.querySelector("input[type=checkbox]");
  const visible = () => items.filter((li) => !li.hidden);

  function setChecked(li, value) {
    if (box(li).disabled) return;
    box(li).checked = value;
    li.classList.toggle("checked", value);
    if (value) {
      const parent = byId.get(li.dataset.parent);
      if (parent && !box(parent).checked) setChecked(parent, true);
    } else {
      items.filter((child) => child.dataset.parent === li.dataset.id).forEach((child) => setChecked(child, false));
    }
  }

  function toggle(li) {
    if (li) setChecked(li, !box(li).checked);
  }

  function renumber() {
    const shown = visible();
    items.forEach((li) => { li.querySelector(".lb-key").textContent = ""; });
    shown.slice(0, 9).forEach((li, i) => { li.querySelector(".lb-key").textContent = String(i + 1); });
    if (cursor >= shown.length) cursor = shown.length - 1;
    items.forEach((li) => li.classList.remove("cursor"));
    if (cursor >= 0 && shown[cursor]) shown[cursor].classList.add("cursor");
  }

  function applyFilter() {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    items.forEach((li) => { li.hidden = !words.every((w) => li.dataset.path.includes(w)); });
    cursor = words.length ? 0 : -1;
    renumber();
  }

  function move(step) {
    const shown = visible();
    if (!shown.length) return;
    cursor = Math.max(0, Math.min(shown.length - 1, cursor + step));
    renumber();
    shown[cursor].scrollIntoView({ block: "nearest" });
  }

  function suggested() {
    return Array.from(document.querySelectorAll("#suggestions li[data-label]"))
      .map((li) => byId.get(li.dataset.label)).filter(Boolean);
  }

  items.forEach((li) => box(li).addEventListener("change", () => setChecked(li, box(li).checked)));
  filter.addEventListener("input", applyFilter);
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      // Enter in the filter picks the highlighted label instead of submitting the form.
      event.preventDefault();
      toggle(visible()[Math.max(cursor, 0)]);
      filter.value = "";
      applyFilter();
      filter.blur();
    } else if (event.key === "Escape") {
      filter.value = "";
      applyFilter();
      filter.blur();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.matches("input:not([type=checkbox]), select, textarea")) return;
    const key = event.key;
    if (/^[1-9]$/.test(key)) {
      toggle(visible()[Number(key) - 1]);
    } else if (key === "/") {
      filter.focus();
    } else if (key === "j" || key === "ArrowDown") {
      move(1);
    } else if (key === "k" || key === "ArrowUp") {
      move(-1);
    } else if (key === " " || key === "x") {
      toggle(visible()[cursor]);
    } else if (key === "a") {
      suggested().forEach((li) => setChecked(li, true));
    } else if (key === "r") {
      suggested().forEach((li) => setChecked(li, false));
    } else if (key === "s") {
      window.location.href = form.dataset.nextUrl;
    } else if (key === "Enter") {
      if (document.getElementById("save-next")) form.requestSubmit();
    } else {
      return;
    }
    event.preventDefault();
  });

  renumber();
})();
