(function () {
  "use strict";
  var toolbar = document.getElementById("toolbar");
  var grids = Array.prototype.slice.call(document.querySelectorAll("table.grid"));
  if (!toolbar || !grids.length) { return; }
  toolbar.hidden = false;
  var page = document.querySelector("section.map");

  function visible(el) { return !el.classList.contains("persona-hidden"); }

  // A long map is drawn as several grids (bands); each has its own columns and curve.
  function layoutCurve(grid, persona) {
    var heads = Array.prototype.slice.call(grid.querySelectorAll("tr.step-row [data-col]"));
    var shown = heads.filter(visible);
    var position = {};
    shown.forEach(function (el, i) { position[el.getAttribute("data-col")] = i; });
    var count = Math.max(shown.length, 1);
    function x(i) { return (i * 100 / count).toFixed(4) + "%"; }
    grid.querySelectorAll(".span-all").forEach(function (cell) { cell.colSpan = count; });
    grid.querySelectorAll("tr.stage-row [data-stage], tr.stage-info [data-stage]").forEach(function (th) {
      var stage = th.getAttribute("data-stage");
      var n = shown.filter(function (el) { return el.getAttribute("data-stage") === stage; }).length;
      th.hidden = n === 0;
      if (n > 0) { th.colSpan = n; }
    });
    var svg = grid.querySelector("svg.emotion-curve");
    if (!svg) { return; }
    svg.querySelectorAll(".emotion-point").forEach(function (g) {
      var i = position[g.getAttribute("data-col")];
      g.classList.toggle("persona-hidden", i === undefined);
      if (i === undefined) { return; }
      g.querySelector("circle").setAttribute("cx", x(i + 0.5));
      g.querySelector("text").setAttribute("x", x(i + 0.5));
    });
    svg.querySelectorAll(".stage-boundary").forEach(function (line) {
      var stage = line.getAttribute("data-stage");
      var first = shown.filter(function (el) { return el.getAttribute("data-stage") === stage; })[0];
      var i = first ? position[first.getAttribute("data-col")] : 0;
      line.classList.toggle("persona-hidden", !i);
      line.setAttribute("x1", x(i));
      line.setAttribute("x2", x(i));
    });
    // One line per persona: rebuilt through the points of that persona still shown.
    svg.querySelectorAll(".emotion-series").forEach(function (series) {
      var own = series.getAttribute("data-persona");
      var off = persona !== "" && own !== "" && own !== persona;
      series.classList.toggle("persona-hidden", off);
      series.querySelectorAll(".emotion-line").forEach(function (line) { line.remove(); });
      if (off) { return; }
      var points = (series.getAttribute("data-points") || "").split(" ").filter(Boolean)
        .map(function (p) { return p.split(":"); })
        .filter(function (p) { return position[p[0]] !== undefined; });
      for (var k = 1; k < points.length; k++) {
        var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
        line.setAttribute("class", "emotion-line");
        line.setAttribute("x1", x(position[points[k - 1][0]] + 0.5));
        line.setAttribute("y1", points[k - 1][1]);
        line.setAttribute("x2", x(position[points[k][0]] + 0.5));
        line.setAttribute("y2", points[k][1]);
        series.appendChild(line);
      }
    });
  }

  toolbar.querySelectorAll("input[name=persona]").forEach(function (input) {
    input.addEventListener("change", function () {
      var persona = input.value;
      page.querySelectorAll("[data-persona]").forEach(function (cell) {
        var own = cell.getAttribute("data-persona");
        if (cell.closest("svg.emotion-curve")) { return; }
        cell.classList.toggle("persona-hidden", persona !== "" && own !== "" && own !== persona);
      });
      grids.forEach(function (grid) { layoutCurve(grid, persona); });
    });
  });

  toolbar.querySelectorAll("input[name=lane]").forEach(function (input) {
    input.addEventListener("change", function () {
      page.querySelectorAll('[data-lane="' + input.value + '"]').forEach(function (row) {
        row.hidden = !input.checked;
      });
    });
  });
})();
