(function () {
  "use strict";
  var toolbar = document.getElementById("toolbar");
  var grid = document.querySelector("table.grid");
  if (!toolbar || !grid) { return; }
  toolbar.hidden = false;

  function visible(el) { return !el.classList.contains("persona-hidden"); }

  function layoutCurve() {
    var heads = Array.prototype.slice.call(grid.querySelectorAll("tr.step-row [data-col]"));
    var shown = heads.filter(visible);
    var position = {};
    shown.forEach(function (el, i) { position[el.getAttribute("data-col")] = i; });
    var count = Math.max(shown.length, 1);
    grid.querySelectorAll(".span-all").forEach(function (cell) { cell.colSpan = count; });
    grid.querySelectorAll("tr.stage-row [data-stage]").forEach(function (th) {
      var stage = th.getAttribute("data-stage");
      var n = shown.filter(function (el) { return el.getAttribute("data-stage") === stage; }).length;
      th.hidden = n === 0;
      if (n > 0) { th.colSpan = n; }
    });
    var svg = grid.querySelector("svg.emotion-curve");
    if (!svg) { return; }
    var points = [];
    svg.querySelectorAll(".emotion-point").forEach(function (g) {
      var i = position[g.getAttribute("data-col")];
      g.classList.toggle("persona-hidden", i === undefined);
      if (i === undefined) { return; }
      var x = ((i + 0.5) * 100 / count).toFixed(4) + "%";
      g.querySelector("circle").setAttribute("cx", x);
      g.querySelector("text").setAttribute("x", x);
      points.push([x, g.querySelector("circle").getAttribute("cy")]);
    });
    svg.querySelectorAll(".emotion-line").forEach(function (line) { line.remove(); });
    var first = svg.querySelector(".emotion-point");
    for (var k = 1; k < points.length; k++) {
      var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("class", "emotion-line");
      line.setAttribute("x1", points[k - 1][0]);
      line.setAttribute("y1", points[k - 1][1]);
      line.setAttribute("x2", points[k][0]);
      line.setAttribute("y2", points[k][1]);
      svg.insertBefore(line, first);
    }
  }

  toolbar.querySelectorAll("input[name=persona]").forEach(function (input) {
    input.addEventListener("change", function () {
      var persona = input.value;
      grid.querySelectorAll("[data-persona]").forEach(function (cell) {
        var own = cell.getAttribute("data-persona");
        cell.classList.toggle("persona-hidden", persona !== "" && own !== "" && own !== persona);
      });
      layoutCurve();
    });
  });

  toolbar.querySelectorAll("input[name=lane]").forEach(function (input) {
    input.addEventListener("change", function () {
      grid.querySelectorAll('tr[data-lane="' + input.value + '"]').forEach(function (row) {
        row.hidden = !input.checked;
      });
    });
  });
})();
