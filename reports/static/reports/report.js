/* "Mangel melden": pin by tap, GPS, address search or photo GPS; live "already reported?" list.
   Everything here only fills the form's own fields, so the form also works without it. URLs
   come from the form's data attributes. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const P = window.Portal;
  const esc = P.escapeHtml;
  const form = document.getElementById("report-form");
  const cfg = form.dataset;
  const lat = form.querySelector("[name=lat]");
  const lon = form.querySelector("[name=lon]");
  const seen = form.querySelector("[name=duplicates_seen]");
  const category = form.querySelector("[name=category]");
  const address = form.querySelector("[name=address]");
  const place = document.getElementById("place");
  const dupBox = document.getElementById("duplicates");
  let map = null;
  let marker = null;
  let placeCheck = Promise.resolve(true);  // resolves to false for a pin outside the city
  // Which pin the answers on their way are for: on a slow phone network a second tap's answers
  // can overtake the first's, and the first pin's house then stood under the second pin.
  let pinCount = 0;
  // Whether the address field holds what this page put there (a search hit, an earlier pin's
  // address) rather than the citizen's own words: then it follows the pin, else it stays.
  let addressFollowsPin = false;
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();  // screen readers start at what needs fixing

  // `note` says where the point came from ("aus dem Foto"), after whatever place line it gets.
  function setPoint(la, lo, label, zoom, note) {
    const noted = note ? " – " + note : "";
    const pin = ++pinCount;
    const stale = function () { return pin !== pinCount; };
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    if (map) {
      if (!marker) {
        marker = L.marker([la, lo], {draggable: true, keyboard: true, title: P.gettext("Ort der Meldung")}).addTo(map);
        marker.on("dragend", function () {
          const p = marker.getLatLng();
          setPoint(p.lat, p.lng, null, null);
        });
      } else {
        marker.setLatLng([la, lo]);
      }
      map.setView([la, lo], zoom || Math.max(map.getZoom(), 17));
    }
    // Ask first whether reports are taken here: a pin outside the city says so at once,
    // instead of "no address" and "no open report nearby" until the submit is refused.
    placeCheck = P.getJson(P.withQuery(cfg.placeUrl, {lat: la, lon: lo})).catch(function () { return {}; })
      .then(function (data) {
        const served = data.served !== false;
        if (stale()) return served;
        place.classList.toggle("error", !served);
        if (!served) {
          place.textContent = data.detail;
          dupBox.innerHTML = "";
          if (addressFollowsPin) address.value = "";  // not the last pin's house
        }
        return served;
      });
    placeCheck.then(function (served) {
      if (!served || stale()) return;
      if (label) {
        place.textContent = P.gettext("Ort: %(place)s", {place: label}) + noted;
        addressFollowsPin = true;
      } else {
        P.getJson(P.withQuery(cfg.reverseUrl, {lat: la, lon: lo})).then(function (data) {
          if (stale()) return;
          const areas = (data.areas || []).filter(function (a) { return a.kind === "district" || a.kind === "quarter"; })
            .map(function (a) { return a.name; })
            .filter(function (name, i, all) { return all.indexOf(name) === i; })  // "Ehrenfeld" once
            .join(", ");
          const label = data.result ? data.result.label : P.gettext("ohne Adresse");
          place.textContent = P.gettext("Ort: %(place)s", {place: label}) + (areas ? " (" + areas + ")" : "") + noted;
          if (!address.value || addressFollowsPin) {
            // A moved pin showed the old pin's house in the field, under the new place line.
            address.value = data.result ? data.result.label : "";
            addressFollowsPin = true;
          }
        }).catch(function (error) {
          if (stale()) return;
          place.textContent = error.message || P.gettext("Ort außerhalb des Gebiets.");
        });
      }
    });
    showDuplicates();
  }

  async function showDuplicates() {
    if (!lat.value || !category.value) return;
    const asked = [lat.value, lon.value, category.value].join();
    const stale = function () { return asked !== [lat.value, lon.value, category.value].join(); };
    if (!(await placeCheck) || stale()) return;  // nothing to compare with outside the city
    let data;
    try {
      data = await P.getJson(P.withQuery(cfg.duplicatesUrl, {lat: lat.value, lon: lon.value, category: category.value}));
    } catch (error) {
      if (stale()) return;
      dupBox.innerHTML = "<p class='error'>" + esc(error.message) + "</p>";
      return;
    }
    if (stale()) return;  // the list of a pin or category since changed
    seen.value = "True";
    if (!data.results.length) {
      dupBox.innerHTML = "<p>" + esc(P.gettext("Keine offene Meldung dieser Kategorie in 250 m Umkreis.")) + "</p>";
      return;
    }
    dupBox.innerHTML = "<h2>" + esc(P.gettext("Schon gemeldet?")) + "</h2><p>" +
      esc(P.gettext("In der Nähe gibt es offene Meldungen dieser Kategorie. Sie können eine davon unterstützen statt neu zu melden:")) +
      "</p><ul>" +
      data.results.map(function (d) {
        return "<li><a href='" + esc(d.url) + "'>" + esc(d.number) + ": " + esc(d.category) + ", " +
          esc(d.address || P.gettext("ohne Adresse")) + "</a> (" + Math.round(d.distance_m) + " m) – " +
          esc(d.description.slice(0, 80)) + "</li>";
      }).join("") + "</ul>";
  }

  P.addressSearch(document.querySelector("[data-address-search]"), function (hit) {
    if (hit.precision === "area") {
      // An area is no place a crew could go to (its middle was filed under whatever house
      // stands there): show it and let the citizen tap the spot in it.
      lat.value = ""; lon.value = ""; address.value = ""; addressFollowsPin = true;
      pinCount++;  // the last pin's answers still on their way are for no pin now
      if (marker) { map.removeLayer(marker); marker = null; }
      if (map && hit.bbox) map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]]);
      place.classList.remove("error");
      place.textContent = P.gettext("%(area)s ist ein Gebiet: bitte den Ort darin auf der Karte antippen oder Straße und Hausnummer eingeben.", {area: hit.label});
      return;
    }
    setPoint(hit.lat, hit.lon, hit.label, 18);
  });
  address.addEventListener("input", function () { lat.value = ""; lon.value = ""; addressFollowsPin = false; });
  category.addEventListener("change", showDuplicates);

  document.getElementById("use-gps").addEventListener("click", function () {
    if (!navigator.geolocation) { place.textContent = P.gettext("Ihr Gerät gibt keinen Standort heraus."); return; }
    place.textContent = P.gettext("Standort wird ermittelt …");
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint(pos.coords.latitude, pos.coords.longitude, null, 18);
    }, function (err) {
      place.textContent = P.gettext("Standort nicht verfügbar (%(reason)s). Bitte Adresse eingeben oder auf die Karte tippen.",
                              {reason: err.message});
    }, {enableHighAccuracy: true, timeout: 15000});
  });

  form.querySelector("[name=photos]").addEventListener("change", async function (event) {
    if (lat.value) return;  // an explicit pin wins over a photo's position
    for (const file of event.target.files) {
      const body = new FormData();
      body.append("photo", file);
      const data = await P.getJson(cfg.photoLocationUrl, {method: "POST", body: body}).catch(function () { return {}; });
      if (data.lat != null) {
        // Written into the place line when it is: appended here, the reverse answer arriving
        // after it wrote over it, and the citizen never saw where the pin came from.
        setPoint(data.lat, data.lon, null, 18, P.gettext("aus dem Foto"));
        return;
      }
    }
  });

  window.reportMapInit = function (m) {
    map = m;
    window.reportMap = m;  // as window.landuseMap: lets a browser test click a given place
    map.invalidateSize();
    P.districtOutlines(map, cfg.areasUrl);
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng, null, null); });
    if (lat.value && lon.value) setPoint(parseFloat(lat.value), parseFloat(lon.value), null, 17);
  };
})();
