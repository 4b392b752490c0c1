/* Zone and place pages: the GPS button fills the form's lat/lon and submits it; the map shows
   the asked point, the covering zones or the places found (the page's list says it in words). */
(function () {
  "use strict";
  const gettext = window.Portal.gettext;

  function bindGps() {
    const form = document.querySelector("form[data-locate]");
    if (!form || !navigator.geolocation) return;
    const button = form.querySelector("[data-gps]");
    const status = form.querySelector("[data-gps-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = gettext("Standort wird ermittelt …");
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[data-lat]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[data-lon]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("input[name=q]").value = "";
        form.submit();
      }, function (err) {
        status.textContent = gettext("Ihr Standort ist nicht verfügbar (%(reason)s). Bitte eine Adresse eingeben.",
                                   {reason: err.message});
      }, {enableHighAccuracy: true, timeout: 10000});
    });
  }

  window.themesMapInit = function (map) {
    const data = document.querySelector("[data-themes-point]").dataset;
    const colors = (data.themesColors || "").split(",");
    const bounds = L.latLngBounds([]);
    const zonesNode = document.getElementById("themes-zones");
    if (zonesNode) {
      const zones = L.geoJSON(JSON.parse(JSON.parse(zonesNode.textContent)), {
        style: {color: colors[0] || "#1b7837", weight: 2, fillOpacity: 0.2}
      }).addTo(map);
      if (zones.getLayers().length) bounds.extend(zones.getBounds());
    }
    document.querySelectorAll(".near-list li[data-lat]").forEach(function (li, i) {
      const ll = L.latLng(parseFloat(li.dataset.lat), parseFloat(li.dataset.lon));
      L.circleMarker(ll, {radius: 7, color: "#fff", weight: 2, fillColor: colors[0] || "#1b7837",
                          fillOpacity: 0.9})
        .bindTooltip((i + 1) + ". " + li.querySelector("strong").textContent).addTo(map);
      bounds.extend(ll);
    });
    if (data.themesPoint) {
      const parts = data.themesPoint.split(",");
      const ll = L.latLng(parseFloat(parts[0]), parseFloat(parts[1]));
      L.marker(ll, {title: gettext("Gefragter Ort"), alt: gettext("Gefragter Ort")}).addTo(map);
      bounds.extend(ll);
      if (data.themesRadius) {
        const radius = parseFloat(data.themesRadius);
        L.circle(ll, {radius: radius, fill: false, color: "#444", weight: 1, dashArray: "4 4"})
          .addTo(map);
        bounds.extend(ll.toBounds(2 * radius));
      }
      map.fitBounds(bounds, {maxZoom: 16});
    } else {
      const home = window.Portal.json("geoportal-basemap", {});
      map.setView(home.center, home.zoom);
    }
    map.getContainer().dataset.ready = "1";
  };

  bindGps();
})();
