// Draws the scoring dashboard's charts from its JSON endpoint (no inline script: the CSP forbids it).
// A click on a unit's bar opens that unit's ledger page.
(function () {
  "use strict";
  var root = document.getElementById("scoring-dashboard");
  if (!root || typeof echarts === "undefined") { return; }
  // Heights set through the CSSOM: the CSP refuses style="" attributes.
  ["chart-units", "chart-months", "chart-rules"].forEach(function (id) {
    document.getElementById(id).style.height = "320px";
  });
  function bar(el, names, values, horizontal) {
    var chart = echarts.init(el);
    var cat = { type: "category", data: names };
    var val = { type: "value" };
    chart.setOption({
      tooltip: {},
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
        tooltip: {},
        grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
        xAxis: { type: "category", data: data.by_month.map(function (m) { return m.month; }) },
        yAxis: { type: "value" },
        series: [{ type: "line", data: data.by_month.map(function (m) { return Number(m.points); }) }]
      });
      bar(document.getElementById("chart-rules"),
        data.by_rule.map(function (r) { return r.rule; }),
        data.by_rule.map(function (r) { return Number(r.points); }), false);
      root.dataset.rendered = "1";
    });
})();
