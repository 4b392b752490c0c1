/* The city map: area layers, a search box with keyboard-usable results, and "what is here" on click. */
(function () {
  "use strict";
  const cfg = window.GEOPORTAL;

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  async function getJson(url) {
    const response = await fetch(url, {headers: {Accept: "application/json"}});
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }

  function overlayPopup(key, p, o) {
    if (o.popup === "label") return escapeHtml(p.label || o.label);
    if (key === "reports") {
      return "<a href='/meldungen/" + encodeURIComponent(p.number) + "/'>" + escapeHtml(p.number) +
        "</a><br>" + escapeHtml(p.category) + "<br>" + escapeHtml(p.status);
    }
    return "<a href='/rat/vorlagen/" + encodeURIComponent(p.paper_id) + "/'>" +
      escapeHtml(p.name || "Ratsvorlage") + "</a>";
  }

  /* Overlays from other apps, fetched only while switched on and only for the visible area. */
  function addOverlays(map, control) {
    const registered = document.getElementById("map-layer-overlays");
    const overlays = (cfg.overlays || []).concat(registered ? JSON.parse(registered.textContent) : []);
    overlays.forEach(function (o) {
      const layer = L.geoJSON(null, {
        style: {color: o.color, weight: 3},
        pointToLayer: function (f, latlng) {
          const n = f.properties.count;
          const marker = L.circleMarker(latlng, {radius: n ? Math.min(8 + 3 * Math.log2(n), 28) : 7,
            weight: 2, color: "#fff", fillColor: o.color, fillOpacity: 0.85});
          if (n) marker.bindTooltip(String(n), {permanent: true, direction: "center",
                                                className: "cluster-count"});
          return marker;
        },
        onEachFeature: function (f, lyr) {
          if (f.properties.count) {
            lyr.on("click", function () { map.setView(lyr.getLatLng(), map.getZoom() + 2); });
          } else {
            lyr.bindPopup(overlayPopup(o.key, f.properties, o));
          }
        }
      });
      let ticket = 0;
      function refresh() {
        if (!map.hasLayer(layer)) return;
        const mine = ++ticket;
        const zoom = map.getZoom();
        const cluster = o.clusterBelowZoom && zoom < o.clusterBelowZoom ? "&cluster_zoom=" + zoom : "";
        getJson(o.url + "bbox=" + map.getBounds().toBBoxString() + cluster).then(function (data) {
          if (mine !== ticket) return;
          layer.clearLayers();
          layer.addData(data);
          document.getElementById("city-map").dataset[o.key] = String(data.features.length);
        });
      }
      map.on("moveend", refresh);
      map.on("overlayadd", function (e) { if (e.layer === layer) refresh(); });
      control.addOverlay(layer, o.label);
    });
  }

  function addAreaLayers(map) {
    const control = L.control.layers(null, null, {collapsed: false}).addTo(map);
    addOverlays(map, control);
    cfg.layers.forEach(function (layerCfg) {
      const layer = L.geoJSON(null, {
        style: layerCfg.style,
        onEachFeature: function (feature, lyr) {
          lyr.bindTooltip(escapeHtml(feature.properties.name), {sticky: true});
        }
      });
      getJson(cfg.areasUrl + "?kind=" + layerCfg.kind).then(function (data) {
        layer.addData(data);
        if (layerCfg.kind === "district" && data.features.length) {
          map.fitBounds(layer.getBounds());
        }
      });
      if (layerCfg.show) layer.addTo(map);
      control.addOverlay(layer, layerCfg.label);
    });
  }

  function showPlace(map, lat, lon) {
    const box = document.getElementById("place");
    getJson(cfg.reverseUrl + "?lat=" + lat + "&lon=" + lon).then(function (data) {
      const areas = data.areas.map(function (a) { return escapeHtml(a.kind_label + " " + a.name); });
      const near = data.result
        ? escapeHtml(data.result.label) + " (" + Math.round(data.result.distance_m) + " m)"
        : "–";
      box.innerHTML = "<h2>Hier</h2><p>" + near + "</p><p>" + (areas.join(" · ") || "außerhalb der Stadt") + "</p>";
    });
  }

  function wireSearch(map) {
    const form = document.querySelector("[data-search]");
    const input = form.querySelector("input");
    const list = document.getElementById("search-results");
    let marker = null;
    let timer = null;
    let latest = 0;

    function choose(hit) {
      list.innerHTML = "";
      input.value = hit.label;
      if (hit.bbox) {
        map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]], {maxZoom: 17});
      } else {
        map.setView([hit.lat, hit.lon], 18);
      }
      if (marker) marker.remove();
      marker = L.marker([hit.lat, hit.lon]).addTo(map).bindPopup(escapeHtml(hit.label)).openPopup();
      showPlace(map, hit.lat, hit.lon);
    }

    async function run() {
      const q = input.value.trim();
      if (q.length < 2) { list.innerHTML = ""; return; }
      const ticket = ++latest;
      const data = await getJson(cfg.searchUrl + "?q=" + encodeURIComponent(q));
      if (ticket !== latest) return;  // a newer search is under way; its answer wins
      list.innerHTML = "";
      if (!data.results.length) {
        list.innerHTML = "<li class='empty'>Nichts gefunden.</li>";
        return;
      }
      data.results.forEach(function (hit) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = hit.label;
        button.addEventListener("click", function () { choose(hit); });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run().then(function () {
        const first = list.querySelector("button");
        if (first) first.focus();
      });
    });
  }

  window.geoportalMapInit = function (map) {
    window.geoportalMap = map;
    addAreaLayers(map);
    wireSearch(map);
    map.on("click", function (event) { showPlace(map, event.latlng.lat, event.latlng.lng); });
    document.dispatchEvent(new CustomEvent("geoportal:map", {detail: {map: map}}));
  };
})();
