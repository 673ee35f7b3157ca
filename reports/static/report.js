// Draw the report's charts from the JSON block #chart-data with Chart.js (inlined before this script).
// Text reaches the page only through Chart.js, which paints it on a canvas: nothing here writes HTML.
(function () {
  "use strict";

  var COLORS = { value: "#1f5f8b", ytd: "#1f5f8b", plan: "#7b8794", pace: "#d97706", up: "#1b7a43", down: "#b3261e" };
  var specs = JSON.parse(document.getElementById("chart-data").textContent);
  var queue = Object.keys(specs).map(function (id) { return specs[id]; });
  var drawn = 0;

  // 1204.5 -> "1.204,5": the Vietnamese way, as the server-side formatter writes the tables' figures.
  function number(value) {
    var fixed = Math.abs(value).toFixed(2).split(".");
    var whole = fixed[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var fraction = fixed[1].replace(/0+$/, "");
    return (value < 0 ? "-" : "") + whole + (fraction ? "," + fraction : "");
  }

  function dataset(series, color, extra) {
    var base = {
      label: series.label, data: series.data, text: series.text,
      backgroundColor: color, borderColor: color, borderWidth: 2, pointRadius: 2
    };
    return Object.assign(base, extra || {});
  }

  function options(spec, unit, beginAtZero, legend) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: "vi-VN",
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: legend, position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            title: function (items) { return "Tháng " + spec.months[items[0].dataIndex]; },
            label: function (item) { return item.dataset.label + ": " + item.dataset.text[item.dataIndex]; },
            footer: function (items) { return spec.notes[items[0].dataIndex]; }
          }
        }
      },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0 } },
        y: {
          beginAtZero: beginAtZero,
          title: { display: Boolean(unit), text: unit },
          ticks: { callback: function (value) { return number(value); } }
        }
      }
    };
  }

  function chart(canvas, config) {
    if (canvas) {
      new Chart(canvas, config);
      drawn += 1;
    }
  }

  function draw(spec) {
    var byKind = {};
    ["value", "ytd", "mom"].forEach(function (kind) { byKind[kind] = document.getElementById(spec.id + "-" + kind); });
    var empty = { label: spec.value ? spec.value.label : "", data: spec.months.map(function () { return null; }),
                  text: spec.months.map(function () { return "—"; }) };
    chart(byKind.value, {
      type: "bar",
      data: { labels: spec.months, datasets: [dataset(spec.value || empty, COLORS.value)] },
      options: options(spec, spec.unit, true, false)
    });
    if (byKind.ytd) {
      // a year-to-date series restarts in January: no line joins December to it
      var yearly = { segment: { borderColor: function (ctx) {
        return spec.months[ctx.p1DataIndex].indexOf("01/") === 0 ? "transparent" : undefined;
      } } };
      var lines = [dataset(spec.ytd || Object.assign({}, empty, { label: "Lũy kế từ đầu năm" }), COLORS.ytd,
                           Object.assign({ fill: false, tension: 0 }, yearly))];
      if (spec.plan) {
        lines.push(dataset(spec.plan, COLORS.plan, Object.assign({ borderDash: [6, 4], pointRadius: 0 }, yearly)));
      }
      if (spec.pace) {
        lines.push(dataset(spec.pace, COLORS.pace, Object.assign({ borderDash: [2, 3], pointRadius: 0 }, yearly)));
      }
      chart(byKind.ytd, { type: "line", data: { labels: spec.months, datasets: lines },
                          options: options(spec, spec.unit, true, lines.length > 1) });
    }
    var colors = spec.mom.data.map(function (v) { return v !== null && v < 0 ? COLORS.down : COLORS.up; });
    chart(byKind.mom, {
      type: "bar",
      data: { labels: spec.months, datasets: [dataset(spec.mom, colors)] },
      options: options(spec, "%", false, false)
    });
  }

  // Draw in slices so a report of many districts keeps the page responsive while it fills in.
  function drawSome() {
    var started = performance.now();
    while (queue.length && performance.now() - started < 40) {
      draw(queue.shift());
    }
    if (queue.length) {
      setTimeout(drawSome, 0);
    } else {
      document.documentElement.dataset.chartsDrawn = String(drawn);
    }
  }

  window.addEventListener("beforeprint", function () {
    while (queue.length) {
      draw(queue.shift());
    }
  });

  drawSome();
})();
