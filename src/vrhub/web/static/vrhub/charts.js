// Trend charts: each element with data-vrhub-chart="<id>" is drawn from the JSON in <script id="<id>">
// (Django's json_script). Vega runs with its CSP-safe expression interpreter: the page's policy forbids eval.
(function () {
  "use strict";
  if (typeof vegaEmbed === "undefined" || typeof vega === "undefined") return;

  var PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#5694ca", "#b58840", "#505a5f"];

  // A long measure name as lines of at most `most` characters: Vega sizes a chart to fit its title, so one
  // long line would widen the chart past the page.
  function wrap(text, most) {
    var lines = [];
    var current = "";
    text.split(" ").forEach(function (word) {
      if (current && (current + " " + word).length > most) {
        lines.push(current);
        current = word;
      } else {
        current = current ? current + " " + word : word;
      }
    });
    if (current) lines.push(current);
    return lines;
  }

  function line(points, title, unit, colour, width) {
    var narrow = width < 480;
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
      encoding.color = {
        field: "area", type: "nominal", title: null, scale: { range: PALETTE },
        legend: { orient: "bottom", columns: narrow ? 2 : 5, labelLimit: narrow ? 120 : 200 }
      };
    }
    return {
      title: { text: wrap(title, Math.max(20, Math.floor(width / 9))), anchor: "start", limit: width },
      width: width,
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
    // The plot's width from its box, less room for the value axis: a chart no wider than the page at any size.
    var width = Math.max(160, Math.floor(el.clientWidth || 600) - 70);
    var panels = [];
    if (force.length) panels.push(line(force, chart.title + ": Merseyside", chart.unit, false, width));
    if (boroughs.length) panels.push(line(boroughs, chart.title + ": boroughs", chart.unit, true, width));
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
