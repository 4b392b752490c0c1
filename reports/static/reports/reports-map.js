/* Public map of reports (list page) and the single report's pin (detail page). URLs come from
   the map box's data attributes, status names from the page (#report-statuses). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const P = window.Portal;
  const esc = P.escapeHtml;

  const LIMIT = 5000;  // the server's cap per GeoJSON response
  const CLUSTER_BELOW_ZOOM = 15;  // with more reports than LIMIT, group them when zoomed out

  window.reportsListMapInit = function (map) {
    const cfg = P.mapConfig(map);
    const statuses = P.json("report-statuses", {});
    map.invalidateSize();
    P.districtOutlines(map, cfg.areasUrl);
    const layer = L.geoJSON(null, {
      pointToLayer: function (f, latlng) {
        const p = f.properties;
        // The title names the marker for screen readers and on hover (Leaflet makes it a button).
        return L.marker(latlng, {icon: P.reportIcon(p), title: p.number + " · " + p.category + " · " +
                                                            (statuses[p.status] || p.status)});
      },
      onEachFeature: function (f, lyr) {
        const p = f.properties;
        lyr.bindPopup("<a href='" + esc(p.url) + "'>" + esc(p.number) + "</a><br>" + esc(p.category) +
                      "<br>" + esc(p.address || "") + "<br>" + esc(statuses[p.status] || p.status));
      }
    }).addTo(map);
    const clusters = L.geoJSON(null, {
      pointToLayer: function (f, latlng) { return P.clusterMarker(map, latlng, f.properties.count); }
    }).addTo(map);
    const box = map.getContainer();
    let latest = 0;

    function load(bbox, clusterZoom) {
      const ticket = ++latest;
      return P.getJson(P.withQuery(cfg.geojsonUrl, {bbox: bbox, cluster_zoom: clusterZoom}))
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

    load(null, null).then(function (data) {
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
