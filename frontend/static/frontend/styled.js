// Sizes and colours that come from data (a progress, a label's colour, a depth in the tree) travel in
// data-* attributes and are applied here through the CSSOM, so the Content-Security-Policy needs no
// 'unsafe-inline' for style attributes.
(function () {
  "use strict";

  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      element.style.width = Number(element.dataset.width) + "%";
    });
    root.querySelectorAll("[data-color]").forEach(function (element) {
      element.style.setProperty("--color", element.dataset.color);
    });
    root.querySelectorAll("[data-depth]").forEach(function (element) {
      element.style.setProperty("--depth", String(Number(element.dataset.depth)));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
})();
