/* The city map: area layers, the address search box and "what is here" on click. Its
   configuration is the map box's data attributes (data-areas-url, data-reverse-url,
   data-area-layers) and the overlay list the page renders as JSON (#map-layer-overlays). */
(function () {
  "use strict";
  const P = window.Portal;
  const AREA_STYLES = {
    district: {color: "#1d4e89", weight: 3, fillOpacity: 0.04},
    quarter: {color: "#5a6b7b", weight: 1, dashArray: "4 3", fillOpacity: 0}
  };
  const AREA_LABELS = {district: P.gettext("Stadtbezirke"), quarter: P.gettext("Stadtteile")};

  function overlayPopup(p, o) {
    if (o.popup === "label") return P.escapeHtml(p.label || o.label);
    const url = o.link ? o.link.replace(/\{(\w+)\}/g, function (m, key) { return encodeURIComponent(p[key]); }) : p.url;
    const link = "<a href='" + P.escapeHtml(url) + "'>";
    if (o.popup === "report") {
      return link + P.escapeHtml(p.number) + "</a><br>" + P.escapeHtml(p.category) + "<br>" +
             P.escapeHtml((o.statuses || {})[p.status] || p.status);
    }
    return link + P.escapeHtml(p.name || P.gettext("Ratsvorlage")) + "</a>";
  }

  /* Overlays from other apps, fetched only while switched on and only for the visible area. */
  function addOverlays(map, control) {
    P.json("map-layer-overlays", []).forEach(function (o) {
      const layer = L.geoJSON(null, {
        style: {color: o.color, weight: 3},
        pointToLayer: function (f, latlng) {
          if (f.properties.count) return P.clusterMarker(map, latlng, f.properties.count, o.color);
          if (o.popup === "report") {
            return L.marker(latlng, {icon: P.reportIcon(f.properties),
                                     title: f.properties.number + " · " + f.properties.category});
          }
          return L.circleMarker(latlng, {radius: 7, weight: 2, color: "#fff", fillColor: o.color, fillOpacity: 0.85});
        },
        onEachFeature: function (f, lyr) {
          if (!f.properties.count) lyr.bindPopup(overlayPopup(f.properties, o));
        }
      });
      let ticket = 0;
      function refresh() {
        if (!map.hasLayer(layer)) return;
        const mine = ++ticket;
        const zoom = map.getZoom();
        const cluster = o.clusterBelowZoom && zoom < o.clusterBelowZoom ? zoom : null;
        P.getJson(P.withQuery(o.url, {bbox: map.getBounds().toBBoxString(), cluster_zoom: cluster}))
          .then(function (data) {
            if (mine !== ticket) return;
            layer.clearLayers();
            layer.addData(data);
            map.getContainer().dataset[o.key] = String(data.features.length);
          });
      }
      map.on("moveend", refresh);
      map.on("overlayadd", function (e) { if (e.layer === layer) refresh(); });
      control.addOverlay(layer, o.label);
    });
  }

  /* On a phone the layer list would cover a third of the map: there it starts as a button
     (Leaflet's collapsed control) that opens the list, and a tap on the map, Escape, leaving it
     with Tab or its close button fold it again. From the CSS's phone breakpoint up it stays open. */
  const PHONE = "(max-width: 700px)";

  function layerControl(map) {
    const collapsed = window.matchMedia(PHONE).matches;
    const control = L.control.layers(null, null, {collapsed: collapsed}).addTo(map);
    if (collapsed) foldable(control);
    return control;
  }

  /* Leaflet's toggle is an unnamed link (title "Layers") that only opens and hides itself once
     open: name it, announce its state, answer Space like a button and give the open list a way
     back, so keyboard and screen-reader users can open and close it too. */
  function foldable(control) {
    const box = control.getContainer();
    const toggle = box.querySelector(".leaflet-control-layers-toggle");
    const list = box.querySelector(".leaflet-control-layers-list");
    const name = P.gettext("Kartenebenen");
    list.id = "map-layer-list";
    list.setAttribute("aria-label", name);
    // A tap opens the list under the finger (hover first), and the tap's mousedown then lands on
    // the list: focusable, it keeps the focus instead of passing it to the map, which folded it.
    list.tabIndex = -1;
    toggle.title = name;
    toggle.setAttribute("aria-label", name);
    toggle.setAttribute("aria-controls", list.id);
    toggle.setAttribute("aria-expanded", "false");
    const close = L.DomUtil.create("button", "layers-close secondary", list);
    close.type = "button";
    close.textContent = P.gettext("Schließen");

    // Leaflet opens and folds the list from handlers bound before this (hover, a tap on the
    // map): follow its class, not its calls, to keep aria-expanded true to what is shown.
    new MutationObserver(function () {
      const open = box.classList.contains("leaflet-control-layers-expanded");
      toggle.setAttribute("aria-expanded", String(open));
    }).observe(box, {attributes: true, attributeFilter: ["class"]});

    const expand = control.expand;
    control.expand = function () {
      const fromToggle = document.activeElement === toggle;
      expand.call(this);
      // The toggle is hidden once the list is open: keep the focus in the list, not the page.
      // On the first box, not a button: the Enter that opened the list would press a button.
      if (fromToggle) (list.querySelector("input") || close).focus();
      return this;
    };
    function fold() {
      const hadFocus = box.contains(document.activeElement);
      control.collapse();
      if (hadFocus) toggle.focus();
    }
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        control.expand();
      }
    });
    close.addEventListener("click", fold);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") fold();
    });
    box.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !box.contains(event.relatedTarget)) control.collapse();
    });
  }

  function addAreaLayers(map, cfg) {
    const control = layerControl(map);
    addOverlays(map, control);
    (cfg.areaLayers || "district").split(" ").forEach(function (kind) {
      const layer = L.geoJSON(null, {
        style: AREA_STYLES[kind],
        onEachFeature: function (feature, lyr) {
          lyr.bindTooltip(P.escapeHtml(feature.properties.name), {sticky: true});
        }
      });
      P.getJson(P.withQuery(cfg.areasUrl, {kind: kind})).then(function (data) {
        layer.addData(data);
        if (kind === "district" && data.features.length) map.fitBounds(layer.getBounds());
      });
      layer.addTo(map);
      control.addOverlay(layer, AREA_LABELS[kind]);
    });
  }

  function showPlace(cfg, lat, lon) {
    const box = document.getElementById("place");
    if (!box) return;
    P.getJson(P.withQuery(cfg.reverseUrl, {lat: lat, lon: lon})).then(function (data) {
      const areas = data.areas.map(function (a) { return P.escapeHtml(a.kind_label + " " + a.name); });
      const near = data.result
        ? P.escapeHtml(data.result.label) + " (" + Math.round(data.result.distance_m) + " m)"
        : "–";
      box.innerHTML = "<h2>" + P.gettext("Hier") + "</h2><p>" + near + "</p><p>" +
        (areas.join(" · ") || P.gettext("außerhalb der Stadt")) + "</p>";
    }).catch(function (error) {
      box.innerHTML = "<p>" + P.escapeHtml(error.message) + "</p>";
    });
  }

  window.geoportalMapInit = function (map) {
    window.geoportalMap = map;
    const cfg = P.mapConfig(map);
    addAreaLayers(map, cfg);
    const search = document.querySelector("[data-address-search]");
    let marker = null;
    if (search) {
      P.addressSearch(search, function (hit) {
        if (hit.bbox) {
          map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]], {maxZoom: 17});
        } else {
          map.setView([hit.lat, hit.lon], 18);
        }
        if (marker) marker.remove();
        marker = L.marker([hit.lat, hit.lon]).addTo(map).bindPopup(P.escapeHtml(hit.label)).openPopup();
        showPlace(cfg, hit.lat, hit.lon);
      });
    }
    map.on("click", function (event) { showPlace(cfg, event.latlng.lat, event.latlng.lng); });
    document.dispatchEvent(new CustomEvent("geoportal:map", {detail: {map: map}}));
  };
})();
