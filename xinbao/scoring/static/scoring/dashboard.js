// Draws the scoring dashboard's charts from its JSON endpoint (no inline script: the CSP forbids it).
// A click on a unit's bar (scores or quota completion) opens that unit's ledger page.
(function () {
  "use strict";
  var root = document.getElementById("scoring-dashboard");
  if (!root || typeof echarts === "undefined") { return; }
  // Heights set through the CSSOM: the CSP refuses style="" attributes.
  // Tooltips drawn on the canvas: ECharts' HTML tooltips carry style="" attributes, which the CSP refuses.
  var TOOLTIP = { renderMode: "richText" };
  ["chart-units", "chart-months", "chart-rules", "chart-completion", "chart-types", "chart-levels"].forEach(function (id) {
    document.getElementById(id).style.height = "320px";
  });
  function bar(el, names, values, horizontal) {
    var chart = echarts.init(el);
    // Every label shown (ECharts otherwise skips some when they crowd); long ones tilted under vertical bars.
    var cat = { type: "category", data: names, axisLabel: horizontal ? { interval: 0 } : { interval: 0, rotate: 30 } };
    var val = { type: "value" };
    chart.setOption({
      tooltip: TOOLTIP,
      grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: [{ type: "bar", data: values }]
    });
    return chart;
  }
  fetch(root.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var units = data.by_unit.slice().reverse();
      var unitChart = bar(document.getElementById("chart-units"),
        units.map(function (u) { return u.name; }),
        units.map(function (u) { return Number(u.points); }), true);
      unitChart.on("click", function (p) {
        var unit = units[p.dataIndex];
        window.location.href = root.dataset.ledger.replace("/0/", "/" + unit.unit + "/") + "?period=" + encodeURIComponent(data.period);
      });
      var months = echarts.init(document.getElementById("chart-months"));
      months.setOption({
        tooltip: TOOLTIP,
        grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
        xAxis: { type: "category", data: data.by_month.map(function (m) { return m.month; }) },
        yAxis: { type: "value" },
        series: [{ type: "line", data: data.by_month.map(function (m) { return Number(m.points); }) }]
      });
      bar(document.getElementById("chart-rules"),
        data.by_rule.map(function (r) { return r.label; }),
        data.by_rule.map(function (r) { return Number(r.points); }), true);
      // Quota completion, highest rate first (top of the chart); units under quota in red. Units that owe nothing
      // yet (no rate) are left out of the chart; the table lists them.
      var rated = data.completion.filter(function (u) { return u.rate !== null; }).reverse();
      // One bar per unit under the office, each with its name: the chart grows with the number of units.
      var completionEl = document.getElementById("chart-completion");
      completionEl.style.height = Math.max(320, 22 * rated.length + 48) + "px";
      var completion = echarts.init(completionEl);
      // Bars grow in; a click hits a bar as drawn, so whoever drives the page waits for the animation to end.
      completion.on("finished", function () { completion.getDom().dataset.finished = "1"; });
      completion.setOption({
        tooltip: TOOLTIP,
        grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
        xAxis: { type: "value", name: root.dataset.labelRate },
        yAxis: { type: "category", data: rated.map(function (u) { return u.name; }), axisLabel: { interval: 0 } },
        series: [{
          type: "bar",
          data: rated.map(function (u) {
            return { value: Number(u.rate), itemStyle: { color: u.under ? "#dc3545" : "#198754" } };
          })
        }]
      });
      completion.on("click", function (p) {
        var unit = rated[p.dataIndex];
        window.location.href = root.dataset.ledger.replace("/0/", "/" + unit.unit + "/") + "?period=" + encodeURIComponent(data.period);
      });
      function grouped(id, names, series) {
        var chart = echarts.init(document.getElementById(id));
        chart.setOption({
          tooltip: TOOLTIP,
          legend: { top: 0 },  // ECharts 6 puts the legend at the bottom, over the axis labels
          grid: { containLabel: true, left: 8, right: 16, top: 32, bottom: 8 },
          xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: "value", minInterval: 1 },
          series: series.map(function (s) { return { type: "bar", name: s[0], data: s[1] }; })
        });
      }
      grouped("chart-types", data.by_type.map(function (t) { return t.label; }), [
        [root.dataset.labelSubmitted, data.by_type.map(function (t) { return t.submitted; })],
        [root.dataset.labelAdopted, data.by_type.map(function (t) { return t.adopted; })]
      ]);
      grouped("chart-levels", data.by_level.map(function (l) { return l.label; }), [
        [root.dataset.labelItems, data.by_level.map(function (l) { return l.items; })],
        [root.dataset.labelAdoptions, data.by_level.map(function (l) { return l.adoptions; })]
      ]);
      root.dataset.rendered = "1";
    });
})();
