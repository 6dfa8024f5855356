// peaceops workbench: draw the Plotly figures embedded as JSON, after every htmx swap too.
(function () {
  "use strict";
  function draw(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll("script.figure-data").forEach(function (node) {
      var target = document.getElementById(node.dataset.target);
      if (!target || target.dataset.drawn) { return; }
      var fig = JSON.parse(node.textContent);
      target.dataset.drawn = "1";
      Plotly.newPlot(target, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
  document.addEventListener("toggle", function (e) {
    if (e.target.tagName === "DETAILS" && e.target.open) {
      e.target.querySelectorAll(".figure").forEach(function (f) {
        if (f.dataset.drawn && typeof Plotly !== "undefined") { Plotly.Plots.resize(f); }
      });
    }
  }, true);
})();
