/* Models page: draws the active model's training curve from the JSON the server embeds. */
(function () {
  "use strict";
  var data = document.getElementById("curve-data");
  var svg = document.getElementById("training-curve");
  if (data && svg) { SelkoCharts.trainingCurve(svg, JSON.parse(data.textContent)); }
})();
