/* The base map under every Leaflet map of the portal (GEOPORTAL_BASEMAP, geoportal/basemaps.py).

   By default it is drawn in the browser from the portal's own vector tiles (/basemap/…, built by
   PostGIS from the city's land use, areas and streets), so a map loads with no internet and no
   visitor's address reaches a third party. A configured third-party raster map (OpenStreetMap,
   basemap.de) is offered with a note on what it sends where, and loaded only after the visitor
   agrees; the choice is kept in this browser (localStorage, no cookie) and can be taken back.
   django-leaflet maps get it through the "map:init" event; others call window.geoportalBasemap. */
(function () {
  "use strict";
  // The shared module (portal.js, loaded by both base templates before any map script).
  const gettext = window.Portal.gettext;
  const escapeHtml = window.Portal.escapeHtml;
  const CONSENT_KEY = "geoportal-basemap-consent";

  function config() {
    const node = document.getElementById("geoportal-basemap");
    return node ? JSON.parse(node.textContent) : null;
  }

  /* Land use in muted tones: the base map is a background, the layers on top carry colour. */
  const LANDUSE = [
    [/^wasserflaeche$/, "#a9d3f0"],
    [/^wald$/, "#c3e0b4"],
    [/^gruen/, "#d9edcb"],
    [/^landwirtschaft$/, "#eef2dc"],
    [/^(wohnbau|besonderes_wohn|wohngebiet|kleinsiedlung|dorf|misch|gemischte|kern|urban)/, "#ede7e0"],
    [/^(gewerbe|industrie|sonderbau|gemeinbedarf|versorgung)/, "#e7e3ec"],
    [/^(bahnanlage|luftverkehr|hauptverkehr)/, "#e4e4e4"]
  ];

  function landuseFill(z, f) {
    const code = (f && f.props.class_code) || "";
    for (let i = 0; i < LANDUSE.length; i++) {
      if (LANDUSE[i][0].test(code)) return LANDUSE[i][1];
    }
    return "rgba(0,0,0,0)";
  }

  function streetWidth(z) { return z < 14 ? 1 : z < 16 ? 3 : z < 18 ? 7 : 12; }

  function ownLayer(cfg) {
    const P = window.protomapsL;
    return P.leafletLayer({
      url: cfg.tiles,
      // One data tile serves a 512-pixel area (a quarter of the requests of 256), fetched up to
      // zoom 15 and scaled beyond: the tiles are built with that much detail.
      levelDiff: 1,
      maxDataZoom: 15,
      maxZoom: 19,
      attribution: escapeHtml(cfg.attribution),
      backgroundColor: "#f3f1ec",
      paintRules: [
        {dataLayer: "municipalities", symbolizer: new P.PolygonSymbolizer({fill: "#faf9f6"})},
        {dataLayer: "landuse", symbolizer: new P.PolygonSymbolizer({fill: landuseFill})},
        {dataLayer: "streets", symbolizer: new P.LineSymbolizer({
          color: "#c7c0b4", width: function (z) { return streetWidth(z) + 1.5; }})},
        {dataLayer: "streets", symbolizer: new P.LineSymbolizer({color: "#ffffff", width: streetWidth})},
        {dataLayer: "quarters", symbolizer: new P.LineSymbolizer({color: "#a3abb5", width: 0.8,
                                                                    dash: [3, 2]})},
        {dataLayer: "districts", symbolizer: new P.LineSymbolizer({color: "#7d8794", width: 1.6})},
        {dataLayer: "municipalities", symbolizer: new P.LineSymbolizer({color: "#59636f", width: 2})}
      ],
      // Area names first: they win a collision with a street name. The tiles carry district
      // points up to data zoom 11 and quarter points from 12 (GEOPORTAL_BASEMAP_LABELS), that
      // is the map's zoom 12 and 13 here (levelDiff 1); the halo keeps them readable on any fill.
      labelRules: [
        {dataLayer: "districts_labels", maxzoom: 12, symbolizer: new P.CenteredTextSymbolizer({
          labelProps: ["name"], fill: "#2b3440", stroke: "#ffffff", width: 3,
          font: "700 15px system-ui, sans-serif"})},
        {dataLayer: "quarters_labels", minzoom: 13, symbolizer: new P.CenteredTextSymbolizer({
          labelProps: ["name"], fill: "#46515d", stroke: "#ffffff", width: 3,
          font: "600 13px system-ui, sans-serif"})},
        {dataLayer: "streets", minzoom: 15, symbolizer: new P.LineLabelSymbolizer({
          labelProps: ["name"], fill: "#333333", stroke: "#ffffff", width: 3,
          font: "500 12px system-ui, sans-serif"})}
      ]
    });
  }

  function rasterLayer(raster) {
    return L.tileLayer(raster.url, {maxZoom: raster.max_zoom, attribution: raster.attribution});
  }

  function consented(raster) {
    try { return localStorage.getItem(CONSENT_KEY) === raster.url; } catch (e) { return false; }
  }

  function remember(raster) {
    try {
      if (raster) localStorage.setItem(CONSENT_KEY, raster.url);
      else localStorage.removeItem(CONSENT_KEY);
    } catch (e) { /* private mode: the choice lasts this page */ }
  }

  /* The note that asks before a third-party map is loaded, and lets the visitor go back. */
  function consentControl(map, raster, swap) {
    const Control = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        const box = L.DomUtil.create("div", "basemap-consent leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        this._box = box;
        this.render();
        return box;
      },
      render: function () {
        const on = map.hasLayer(this._raster || {});
        const privacy = raster.privacy
          ? " <a href='" + escapeHtml(raster.privacy) + "' target='_blank' rel='noopener'>" +
            escapeHtml(gettext("Datenschutz")) + "</a>"
          : "";
        this._box.innerHTML = on
          ? "<button type='button'>" + escapeHtml(gettext("Eigene Karte der Stadt zeigen")) + "</button>"
          : "<p>" + escapeHtml(gettext("Kartenhintergrund aus Daten der Stadt.")) + " " +
            escapeHtml(gettext("Die Karte von %(map)s lädt Bilder von deren Server; der erfährt dabei Ihre IP-Adresse.",
                               {map: raster.label})) + privacy + "</p><button type='button'>" +
            escapeHtml(gettext("Karte von %(map)s laden", {map: raster.label})) + "</button>";
        const control = this;
        this._box.querySelector("button").addEventListener("click", function () {
          swap(!on);
          control.render();
        });
      }
    });
    return new Control();
  }

  function addBasemap(map) {
    const cfg = config();
    if (!cfg || map._geoportalBasemap) return;
    map._geoportalBasemap = true;
    const own = window.protomapsL ? ownLayer(cfg) : null;
    if (!cfg.raster) {
      if (own) own.addTo(map);
      return;
    }
    const raster = rasterLayer(cfg.raster);
    const control = consentControl(map, cfg.raster, function (useRaster) {
      remember(useRaster ? cfg.raster : null);
      if (useRaster) {
        if (own) map.removeLayer(own);
        raster.addTo(map);
      } else {
        map.removeLayer(raster);
        if (own) own.addTo(map);
      }
    });
    control._raster = raster;
    if (consented(cfg.raster)) raster.addTo(map);
    else if (own) own.addTo(map);
    control.addTo(map);
  }

  window.geoportalBasemap = addBasemap;
  window.addEventListener("map:init", function (event) { addBasemap(event.detail.map); });
})();
