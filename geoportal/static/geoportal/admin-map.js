/* Starts Django's OpenLayers geometry editor (gis/js/OLMapWidget.js, MapWidget) for every
   PortalMapWidget of an admin form (geoportal/widgets.py), on the portal's own base map.

   Django's template starts each map from an inline script, which the CSP refuses; here the
   options come from the widget's JSON (json_script) and the base map is drawn from the portal's
   own vector tiles (/basemap/…, the layers geoportal/static/geoportal/basemap.js draws for
   Leaflet), so the admin's maps need no internet and send no request to another origin.
   Forms an inline formset adds later ("formset:added") get their map then; the hidden template
   row (__prefix__) gets none. The same base map serves read-only maps of labelled features. */
/* global ol, MapWidget */
(function () {
  "use strict";

  const fill = (color) => new ol.style.Fill({color: color});
  const stroke = (color, width, dash) => new ol.style.Stroke({color: color, width: width,
                                                              lineDash: dash});
  // The muted tones of the public maps: the edited geometry (OpenLayers' blue) stands out.
  const STYLES = {
    municipalities: [new ol.style.Style({fill: fill("#faf9f6"), stroke: stroke("#59636f", 2)})],
    water: [new ol.style.Style({fill: fill("#a9d3f0")})],
    green: [new ol.style.Style({fill: fill("#d9edcb")})],
    streetCasing: new ol.style.Style({stroke: stroke("#c7c0b4", 3), zIndex: 1}),
    street: new ol.style.Style({stroke: stroke("#ffffff", 1.5), zIndex: 2}),
    quarters: [new ol.style.Style({stroke: stroke("#a3abb5", 0.8, [3, 2]), zIndex: 3})],
    districts: [new ol.style.Style({stroke: stroke("#7d8794", 1.6), zIndex: 4})]
  };

  function landuse(code) {
    if (/^wasserflaeche$/.test(code)) return STYLES.water;
    if (/^(wald|gruen)/.test(code)) return STYLES.green;
    return null;
  }

  function label(text, size) {
    return new ol.style.Style({text: new ol.style.Text({
      text: text, font: "600 " + size + "px system-ui, sans-serif",
      fill: fill("#2b3440"), stroke: stroke("#ffffff", 3)}), zIndex: 5});
  }

  function style(feature, resolution) {
    const layer = feature.get("layer");
    if (layer === "landuse") return landuse(feature.get("class_code") || "");
    if (layer === "streets") {
      if (resolution < 2.5 && feature.get("name")) {  // about zoom 16: room for street names
        const named = label(feature.get("name"), 11);
        named.getText().setPlacement("line");
        return [STYLES.streetCasing, STYLES.street, named];
      }
      return [STYLES.streetCasing, STYLES.street];
    }
    if (layer === "districts_labels" && resolution > 10) return label(feature.get("name"), 13);
    if (layer === "quarters_labels" && resolution <= 10) return label(feature.get("name"), 12);
    return STYLES[layer] || null;
  }

  function baseLayer(options) {
    return new ol.layer.VectorTile({
      declutter: true,
      source: new ol.source.VectorTile({
        format: new ol.format.MVT(),
        url: options.tiles,
        maxZoom: 15,  // the tiles carry that much detail; beyond, OpenLayers scales them
        attributions: options.attribution
      }),
      style: style
    });
  }

  function start(wrapper) {
    if (wrapper.dataset.started || wrapper.id.indexOf("__prefix__") !== -1) return;
    // Ids from the wrapper's own: a row an inline formset adds is a copy of the template row
    // whose ids (not its JSON) Django renamed from __prefix__ to the row's number.
    const id = wrapper.id.replace(/_div_map$/, "");
    const options = JSON.parse(document.getElementById(id + "_options").textContent);
    options.id = id;
    options.map_id = id + "_map";
    options.name = document.getElementById(id).name;
    options.base_layer = baseLayer(options);
    wrapper.dataset.started = "1";
    // The instance is kept on the element: tests and other scripts find the map there.
    wrapper.geoportalWidget = new MapWidget(options);
  }

  // Read-only maps of labelled features (feature_map in geoportal/widgets.py): a review's
  // candidates, each in its own colour and named on the map; a click picks it in the form.
  const COLOURS = ["#c0392b", "#1f6fb2", "#2e8540", "#8e44ad", "#d35400", "#16a085"];

  function featureStyle(feature) {
    const colour = COLOURS[feature.get("index") % COLOURS.length];
    return new ol.style.Style({
      stroke: stroke(colour, 5), zIndex: 10,
      // A point (a place, a report on a view-only page) has no line to stroke.
      image: new ol.style.Circle({radius: 7, fill: fill(colour), stroke: stroke("#ffffff", 2)}),
      text: new ol.style.Text({text: feature.get("label"), placement: "line", overflow: true,
                               font: "700 13px system-ui, sans-serif", fill: fill(colour),
                               stroke: stroke("#ffffff", 4)})
    });
  }

  function startFeatureMap(element) {
    if (element.dataset.started) return;
    const options = JSON.parse(document.getElementById(element.dataset.geoportalOptions).textContent);
    const collection = JSON.parse(document.getElementById(element.dataset.geoportalFeatures).textContent);
    const features = new ol.format.GeoJSON().readFeatures(collection, {
      dataProjection: "EPSG:4326", featureProjection: "EPSG:3857"});
    features.forEach((feature, index) => feature.set("index", index));
    const overlay = new ol.layer.Vector({source: new ol.source.Vector({features: features}),
                                         style: featureStyle});
    const map = new ol.Map({target: element, layers: [baseLayer(options), overlay],
                            view: new ol.View({center: ol.proj.fromLonLat(options.center),
                                               zoom: options.zoom})});
    if (features.length) {
      map.getView().fit(overlay.getSource().getExtent(), {padding: [40, 40, 40, 40],
                                                          maxZoom: 17});
    }
    const select = options.choice_field && document.getElementById(options.choice_field);
    if (select) {
      map.on("singleclick", (event) => {
        const hit = map.forEachFeatureAtPixel(event.pixel, (f) => f,
                                              {hitTolerance: 6, layerFilter: (l) => l === overlay});
        if (hit) select.value = hit.get("label");
      });
    }
    element.dataset.started = "1";
    element.geoportalMap = {map: map, overlay: overlay};
  }

  function startAll(root) {
    root.querySelectorAll("[data-geoportal-map]").forEach(start);
    root.querySelectorAll("[data-geoportal-features]").forEach(startFeatureMap);
  }

  document.addEventListener("DOMContentLoaded", () => startAll(document));
  // Django's inlines.js renames the template row's ids, then dispatches this on the new row.
  document.addEventListener("formset:added", (event) => startAll(event.target));
})();
