/* Public map of reports (list page) and the single report's pin (detail page). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const colors = {open: "#b00020", in_progress: "#c77700", closed: "#1b7f3b", rejected: "#555"};

  function esc(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  const LIMIT = 5000;  // the server's cap per GeoJSON response

  window.reportsListMapInit = function (map) {
    map.invalidateSize();
    fetch(window.REPORTS.areasUrl + "?kind=district").then(function (r) { return r.json(); })
      .then(function (data) {
        L.geoJSON(data, {interactive: false, style: {color: "#1d4e89", weight: 2, fillOpacity: 0.03}})
          .addTo(map).bringToBack();
      }).catch(function () {});
    const layer = L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: 9, weight: 2, color: "#fff", fillOpacity: 0.9,
                                       fillColor: colors[f.properties.status] || "#1d4e89"});
      },
      onEachFeature: function (f, lyr) {
        const p = f.properties;
        lyr.bindPopup("<a href='" + esc(p.url) + "'>" + esc(p.number) + "</a><br>" + esc(p.category) +
                      "<br>" + esc(p.address || "") + "<br>" + esc(p.status));
      }
    }).addTo(map);
    const box = document.getElementById("reports-map");

    function load(bbox) {
      const url = window.REPORTS.geojsonUrl + (bbox ? "&bbox=" + bbox : "");
      return fetch(url, {headers: {Accept: "application/geo+json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          layer.clearLayers();
          layer.addData(data);
          box.dataset.features = String(data.features.length);
          return data;
        });
    }

    load(null).then(function (data) {
      if (data.features.length) map.fitBounds(layer.getBounds(), {maxZoom: 16, padding: [20, 20]});
      // More reports than one response holds: from now on ask for the visible area only.
      if (data.features.length >= LIMIT) {
        map.on("moveend", function () { load(map.getBounds().toBBoxString()); });
      }
    });
  };

  window.reportDetailMapInit = function (map) {
    const box = document.getElementById("detail-map-box");
    const latlng = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    map.invalidateSize();
    L.marker(latlng).addTo(map);
    map.setView(latlng, 17);
  };
})();
