/* Public map of reports (list page) and the single report's pin (detail page). URLs come from
   the map box's data attributes, status names from the page (#report-statuses). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const P = window.Portal;
  const esc = P.escapeHtml;
  const colors = {open: "#b00020", in_progress: "#c77700", closed: "#1b7f3b", rejected: "#555"};

  /* One glyph per top category (its code, the GeoJSON's group_code), white on the status
     colour, so a pothole and a broken lamp differ on the map at a glance; a top category the
     portal has no glyph for gets three dots. Inline SVG paths (24 px grid): no icon font, no
     request. */
  const GLYPHS = {
    strasse: "M7 21 10 3M17 21 14 3M12 6v2M12 11v2M12 16v2",
    beleuchtung: "M9 17h6M10 20h4M12 3a5 5 0 0 0-3 9v2h6v-2a5 5 0 0 0-3-9z",
    gruen: "M12 21v-6M12 3 5 15h14z",
    muell: "M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13",
    verkehr: "M9 3h6v18H9zM12 7v0M12 12v0M12 17v0",
    ordnung: "M12 4 3 20h18zM12 10v4M12 17v0",
    sonstiges: "M7 12v0M12 12v0M17 12v0"
  };

  function reportIcon(p) {
    const code = String(p.group_code || "").toLowerCase().replace(/[^a-z0-9-]/g, "");
    const glyph = GLYPHS[code] || GLYPHS.sonstiges;
    const fill = colors[p.status] || "#1d4e89";
    return L.divIcon({
      className: "report-marker report-marker-" + (GLYPHS[code] ? code : "other"),
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -13],
      html: "<svg viewBox='0 0 24 24' width='30' height='30' aria-hidden='true' focusable='false'>" +
            "<circle cx='12' cy='12' r='11' fill='" + fill + "' stroke='#fff' stroke-width='1.5'/>" +
            "<path d='" + glyph + "' transform='translate(5 5) scale(.583)' fill='none' stroke='#fff'" +
            " stroke-width='2.6' stroke-linecap='round' stroke-linejoin='round'/></svg>"
    });
  }

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
        return L.marker(latlng, {icon: reportIcon(p), title: p.number + " · " + p.category + " · " +
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
