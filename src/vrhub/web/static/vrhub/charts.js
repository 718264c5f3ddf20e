// Trend charts: each element with data-vrhub-chart="<id>" is drawn from the JSON in <script id="<id>">
// (Django's json_script). Vega runs with its CSP-safe expression interpreter: the page's policy forbids eval.
(function () {
  "use strict";
  if (typeof vegaEmbed === "undefined" || typeof vega === "undefined") return;

  var PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#5694ca", "#b58840", "#505a5f"];

  function line(points, title, unit, colour) {
    var encoding = {
      x: { field: "month", type: "temporal", title: null, axis: { format: "%b %Y", labelAngle: 0, tickCount: 8 } },
      y: { field: "value", type: "quantitative", title: unit },
      tooltip: [
        { field: "area", type: "nominal", title: "Area" },
        { field: "month", type: "temporal", title: "Month", format: "%B %Y" },
        { field: "value", type: "quantitative", title: unit }
      ]
    };
    if (colour) {
      encoding.color = { field: "area", type: "nominal", title: null, scale: { range: PALETTE }, legend: { orient: "bottom" } };
    }
    return {
      title: title,
      width: "container",
      height: 220,
      data: { values: points },
      mark: { type: "line", strokeWidth: 2, point: points.length < 30 },
      encoding: encoding
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.vrhubChart);
    if (!source) return;
    var chart = JSON.parse(source.textContent);
    var force = chart.points.filter(function (p) { return p.force; });
    var boroughs = chart.points.filter(function (p) { return !p.force; });
    var panels = [];
    if (force.length) panels.push(line(force, chart.title + ": Merseyside", chart.unit, false));
    if (boroughs.length) panels.push(line(boroughs, chart.title + ": boroughs", chart.unit, true));
    var spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      vconcat: panels,
      config: { font: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", view: { stroke: null } }
    };
    vegaEmbed(el, spec, {
      ast: true,
      expr: vega.expressionInterpreter,
      actions: false,
      defaultStyle: false,
      tooltip: false,
      renderer: "svg"
    }).catch(function (err) {
      el.textContent = "The chart could not be drawn; the figures are in the tables below.";
      if (window.console) console.error(err);
    });
  }

  document.querySelectorAll("[data-vrhub-chart]").forEach(draw);
})();
