/* Small SVG line charts for training curves: loss (left axis) and validation F1 (0..1, right axis). */
var SelkoCharts = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function line(svg, points, color, label, y) {
    if (points.length === 0) { return; }
    svg.appendChild(el("polyline", { points: points.join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
    svg.appendChild(el("text", { x: 60, y: y, fill: color, "font-size": 12 }, label));
  }

  function trainingCurve(svg, series) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var left = 40, right = 440, top = 30, bottom = 190;
    svg.appendChild(el("line", { x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#c5ccd8" }));
    svg.appendChild(el("line", { x1: left, y1: top, x2: left, y2: bottom, stroke: "#c5ccd8" }));
    if (!series || series.length === 0) {
      svg.appendChild(el("text", { x: 150, y: 110, fill: "#5b6575", "font-size": 13 }, "No epochs yet"));
      return;
    }
    var epochs = series.map(function (p) { return p.epoch; });
    var maxEpoch = Math.max.apply(null, epochs.concat([1]));
    var losses = series.map(function (p) { return p.loss; }).filter(function (v) { return v !== undefined; });
    var maxLoss = Math.max.apply(null, losses.concat([1e-6]));
    function x(epoch) { return left + (right - left) * (maxEpoch === 1 ? 1 : (epoch - 1) / (maxEpoch - 1)); }
    var lossPoints = [], f1Points = [];
    series.forEach(function (p) {
      if (p.loss !== undefined) { lossPoints.push(x(p.epoch).toFixed(1) + "," + (bottom - (bottom - top) * p.loss / maxLoss).toFixed(1)); }
      var f1 = p.val_macro_f1 !== undefined ? p.val_macro_f1 : p.train_macro_f1;
      if (f1 !== undefined && f1 !== null) { f1Points.push(x(p.epoch).toFixed(1) + "," + (bottom - (bottom - top) * f1).toFixed(1)); }
    });
    line(svg, lossPoints, "#b42318", "loss (max " + maxLoss.toFixed(3) + ")", 18);
    var f1Name = series[0].val_macro_f1 !== undefined ? "validation macro-F1 (0–1)" : "training macro-F1, running (0–1)";
    line(svg, f1Points, "#2457c5", f1Name, 18);
    if (f1Points.length) { svg.lastChild.setAttribute("x", 240); }
    svg.appendChild(el("text", { x: left, y: 210, fill: "#5b6575", "font-size": 11 }, "epoch 1"));
    svg.appendChild(el("text", { x: right - 40, y: 210, fill: "#5b6575", "font-size": 11 }, "epoch " + maxEpoch));
  }

  return { trainingCurve: trainingCurve };
})();
