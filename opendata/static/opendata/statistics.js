// The choropleth of reports per km²: district outlines and numbers from /statistik/bezirke.geojson,
// colour classes from the page (the same classes the legend shows). No inline script: the URL
// comes from a data attribute, so the page works under a nonce-based Content-Security-Policy.
window.statMapInit = function (map) {
  var url = document.getElementById("stat-map-box").dataset.geojson;
  var classes = JSON.parse(document.getElementById("stat-classes").textContent);
  function colour(value) {
    for (var i = 0; i < classes.length; i++) {
      if (value <= classes[i].high) { return classes[i].color; }
    }
    return classes.length ? classes[classes.length - 1].color : "#ccc";
  }
  fetch(url).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      style: function (f) {
        return {color: "#333", weight: 1, fillOpacity: 0.75, fillColor: colour(f.properties.reports_per_km2 || 0)};
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        // Numbers in the page's language ("1.234,5" on German pages), as the tables beside it.
        l.bindTooltip(window.Portal.escapeHtml(p.name) + ": " + window.Portal.number(p.reports, 0) +
                      " (" + window.Portal.number(p.reports_per_km2 || 0, 1) + " / km²)");
      }
    }).addTo(map);
    if (data.features.length) { map.fitBounds(layer.getBounds()); }
  });
};
