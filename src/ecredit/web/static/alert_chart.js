/* Draws the portal's charts: each element with data-figure names the <script type=
   "application/json"> holding its plotly figure (built on the server, ecredit.web.alert_chart).
   A file of our own rather than an inline script: the Content-Security-Policy allows no inline
   script. When drawn, the element gets data-drawn="true". */
(function () {
  "use strict";
  var config = {displayModeBar: false, displaylogo: false, responsive: true};
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.setAttribute("data-drawn", "true");
    });
  });
})();
