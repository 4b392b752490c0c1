/* Subscription form: the map sets the circle's centre (lat/lon) or collects the corners of a
   drawn polygon into the hidden GeoJSON field. Without JavaScript the form works by address or
   district; the server checks every limit again. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("alerts-form");
  if (!form) { return; }
  var lat = form.querySelector("[name=lat]");
  var lon = form.querySelector("[name=lon]");
  var polygonField = form.querySelector("[name=polygon]");
  var radius = form.querySelector("[name=radius_m]");
  var status = document.getElementById("polygon-status");
  var map, shape, corners = [];

  function mode() {
    var checked = form.querySelector("[name=area_type]:checked");
    return checked ? checked.value : "circle";
  }

  function redraw() {
    if (!map) { return; }
    if (shape) { map.removeLayer(shape); shape = null; }
    if (mode() === "polygon" && corners.length) {
      shape = L.polygon(corners, {color: "#1d4e89"}).addTo(map);
      status.textContent = corners.length + " / " + (corners.length >= 3 ? "✓" : "3+");
      if (corners.length >= 3) {
        var ring = corners.map(function (c) { return [c.lng, c.lat]; });
        ring.push(ring[0]);
        polygonField.value = JSON.stringify({type: "Polygon", coordinates: [ring]});
      }
    } else if (mode() === "circle" && lat.value && lon.value) {
      shape = L.circle([parseFloat(lat.value), parseFloat(lon.value)],
                       {radius: parseInt(radius.value || "500", 10), color: "#1d4e89"}).addTo(map);
    }
  }

  window.alertsMapInit = function (m) {
    map = m;
    if (lat.value && lon.value) {
      map.setView([parseFloat(lat.value), parseFloat(lon.value)], 15);
    }
    map.on("click", function (e) {
      if (mode() === "polygon") {
        corners.push(e.latlng);
      } else {
        lat.value = e.latlng.lat.toFixed(6);
        lon.value = e.latlng.lng.toFixed(6);
        var circle = form.querySelector("[name=area_type][value=circle]");
        if (circle) { circle.checked = true; }
      }
      redraw();
    });
    redraw();
  };

  // An address typed after a tap on the map is the place meant: the old centre would win
  // on the server and carry the new words as its label.
  var address = form.querySelector("[name=address]");
  if (address) {
    address.addEventListener("input", function () { lat.value = ""; lon.value = ""; redraw(); });
  }
  form.addEventListener("change", redraw);
  var clear = document.getElementById("polygon-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      corners = [];
      polygonField.value = "";
      status.textContent = "";
      redraw();
    });
  }
})();
