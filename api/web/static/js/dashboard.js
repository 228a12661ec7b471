// The dashboard's charts (api/web/dashboard.py): Apache ECharts, drawn from the JSON block
// #dashboard-data the server rendered. The tables beside them hold the same figures, so the
// page reads the same without scripts. No inline script: the CSP allows this server's files only.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var text = { color: "#c9d6ea" };
  var base = {
    backgroundColor: "transparent",
    textStyle: text,
    tooltip: { trigger: "axis" },
    legend: { textStyle: text, top: 0 },
    grid: { left: 60, right: 30, top: 56, bottom: 30, containLabel: true },
    animation: false
  };
  function num(values) { return values.map(function (v) { return Number(v); }); }
  function monthAxis() { return { type: "category", data: data.months }; }
  function value(name) { return { type: "value", name: name || "", splitLine: { lineStyle: { color: "#24344d" } } }; }
  function merge(extra) {
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }
  var options = {
    days: merge({
      xAxis: { type: "category", data: data.days },
      yAxis: value("人次"),
      dataZoom: [{ type: "inside" }, { type: "slider", height: 16, bottom: 0 }],
      series: [{ name: "助餐人次", type: "line", data: data.dayMeals, showSymbol: false, areaStyle: { opacity: 0.25 } }]
    }),
    subsidies: merge({
      xAxis: monthAxis(), yAxis: value("元"),
      series: [
        { name: "政府补贴", type: "bar", stack: "s", data: num(data.government) },
        { name: "集体补贴", type: "bar", stack: "s", data: num(data.collective) },
        { name: "个人自付", type: "bar", stack: "s", data: num(data.coPayment) }
      ]
    }),
    elders: merge({
      xAxis: monthAxis(), yAxis: value("人"),
      series: [{ name: "服务老人", type: "bar", data: data.elders }]
    }),
    assets: merge({
      xAxis: monthAxis(),
      yAxis: [value("项"), value("元")],
      series: data.assets.map(function (s) {
        return { name: s.name, type: "bar", stack: "a", data: s.data };
      }).concat([{ name: "集体收入", type: "line", yAxisIndex: 1, data: num(data.income) }])
    }),
    land: merge({
      xAxis: monthAxis(), yAxis: value(),
      series: [
        { name: "成交价款", type: "bar", data: num(data.landPrice) },
        { name: "价款收入", type: "bar", data: num(data.installments) },
        { name: "调节金", type: "bar", data: num(data.levy) }
      ]
    }),
    areas: merge({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: value(),
      yAxis: { type: "category", data: data.areas.map(function (a) { return a.name; }), inverse: true },
      series: [{ name: "助餐人次", type: "bar", data: data.areas.map(function (a) { return a.meals; }) }]
    }),
    findings: merge({
      tooltip: { trigger: "item" },
      // kinds with no finding are left out; none at all: the ring is empty and says so
      title: { text: data.kinds.some(function (k) { return k.value > 0; }) ? "" : "无疑点",
               left: "center", top: "middle", textStyle: { color: "#9fb3cc", fontSize: 16 } },
      series: [{ name: "疑点", type: "pie", radius: ["35%", "65%"],
                 data: data.kinds.filter(function (k) { return k.value > 0; }),
                 label: { color: "#c9d6ea" } }]
    })
  };
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (node) {
    var option = options[node.getAttribute("data-chart")];
    if (!option) { return; }
    var chart = echarts.init(node, "dark", { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    if (node.getAttribute("data-chart") === "areas" && data.level === "district") {
      chart.on("click", function (params) {
        var area = data.areas[params.dataIndex];
        if (!area) { return; }
        var query = new URLSearchParams(window.location.search);
        query.set("place", area.code);
        window.location.assign("/dashboard?" + query.toString());
      });
    }
  });
  document.body.setAttribute("data-charts-drawn", String(charts.length));
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
