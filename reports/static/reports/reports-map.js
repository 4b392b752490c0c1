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
  const CLUSTER_BELOW_ZOOM = 15;  // with more reports than LIMIT, group them when zoomed out

  function clusterMarker(f, latlng) {
    const n = f.properties.count;
    const marker = L.circleMarker(latlng, {radius: Math.min(10 + 4 * Math.log10(n) * 3, 32),
                                           weight: 2, color: "#fff", fillColor: "#1d4e89",
                                           fillOpacity: 0.85});
    marker.bindTooltip(String(n), {permanent: true, direction: "center", className: "cluster-count"});
    return marker;
  }

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
    const clusters = L.geoJSON(null, {
      pointToLayer: clusterMarker,
      onEachFeature: function (f, lyr) {
        lyr.on("click", function () { map.setView(lyr.getLatLng(), map.getZoom() + 2); });
      }
    }).addTo(map);
    const box = document.getElementById("reports-map");
    let latest = 0;

    function load(bbox, clusterZoom) {
      const ticket = ++latest;
      const url = window.REPORTS.geojsonUrl + (bbox ? "&bbox=" + bbox : "") +
        (clusterZoom != null ? "&cluster_zoom=" + clusterZoom : "");
      return fetch(url, {headers: {Accept: "application/geo+json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (ticket !== latest) return data;  // the map moved on; a newer answer is coming
          layer.clearLayers();
          clusters.clearLayers();
          (clusterZoom != null ? clusters : layer).addData(data);
          box.dataset.features = String(data.features.length);
          box.dataset.clustered = String(clusterZoom != null);
          return data;
        });
    }

    function loadView() {
      const zoom = map.getZoom();
      load(map.getBounds().toBBoxString(), zoom < CLUSTER_BELOW_ZOOM ? zoom : null);
    }

    load(null).then(function (data) {
      if (data.features.length) map.fitBounds(layer.getBounds(), {maxZoom: 16, padding: [20, 20]});
      // More reports than one response holds: from now on ask for the visible area only,
      // grouped on a grid while zoomed out, so every report is counted somewhere on the map.
      if (data.features.length >= LIMIT) {
        map.on("moveend", loadView);
        loadView();
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
