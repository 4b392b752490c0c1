/* "Mangel melden": pin by tap, GPS, address search or photo GPS; live "already reported?" list.
   Everything here only fills the form's own fields, so the form also works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const cfg = window.REPORTS;
  const form = document.getElementById("report-form");
  const lat = form.querySelector("[name=lat]");
  const lon = form.querySelector("[name=lon]");
  const seen = form.querySelector("[name=duplicates_seen]");
  const category = form.querySelector("[name=category]");
  const address = form.querySelector("[name=address]");
  const place = document.getElementById("place");
  const dupBox = document.getElementById("duplicates");
  const results = document.getElementById("address-results");
  let map = null;
  let marker = null;
  let placeCheck = Promise.resolve(true);  // resolves to false for a pin outside the city
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();  // screen readers start at what needs fixing

  // District outlines: orientation even where the background tiles do not load.
  function addDistricts(m, url) {
    fetch(url + "?kind=district").then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {interactive: false, style: {color: "#1d4e89", weight: 2, fillOpacity: 0.03}}).addTo(m);
    }).catch(function () {});
  }

  function esc(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  async function getJson(url, options) {
    const response = await fetch(url, Object.assign({headers: {Accept: "application/json"}}, options || {}));
    return {ok: response.ok, data: await response.json().catch(function () { return {}; })};
  }

  function setPoint(la, lo, label, zoom) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    if (map) {
      if (!marker) {
        marker = L.marker([la, lo], {draggable: true, keyboard: true, title: "Ort der Meldung"}).addTo(map);
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
    // instead of "ohne Adresse" and "no open report nearby" until the submit is refused.
    placeCheck = getJson(cfg.placeUrl + "?lat=" + la + "&lon=" + lo).then(function (r) {
      const served = !(r.ok && r.data.served === false);
      place.classList.toggle("error", !served);
      if (!served) {
        place.textContent = r.data.detail;
        dupBox.innerHTML = "";
      }
      return served;
    });
    placeCheck.then(function (served) {
      if (!served) return;
      if (label) {
        place.textContent = "Ort: " + label;
      } else {
        getJson(cfg.reverseUrl + "?lat=" + la + "&lon=" + lo).then(function (r) {
          if (!r.ok) { place.textContent = r.data.detail || "Ort außerhalb des Gebiets."; return; }
          const areas = (r.data.areas || []).filter(function (a) { return a.kind === "district" || a.kind === "quarter"; })
            .map(function (a) { return a.name; }).join(", ");
          place.textContent = "Ort: " + (r.data.result ? r.data.result.label : "ohne Adresse") + (areas ? " (" + areas + ")" : "");
          if (!address.value && r.data.result) address.value = r.data.result.label;
        });
      }
    });
    showDuplicates();
  }

  async function showDuplicates() {
    if (!lat.value || !category.value) return;
    if (!(await placeCheck)) return;  // nothing to compare with outside the city
    const url = cfg.duplicatesUrl + "?lat=" + lat.value + "&lon=" + lon.value + "&category=" + encodeURIComponent(category.value);
    const r = await getJson(url);
    if (!r.ok) { dupBox.innerHTML = "<p class='error'>" + esc(r.data.detail) + "</p>"; return; }
    seen.value = "True";
    if (!r.data.results.length) {
      dupBox.innerHTML = "<p>Keine offene Meldung dieser Kategorie in 250 m Umkreis.</p>";
      return;
    }
    dupBox.innerHTML = "<h2>Schon gemeldet?</h2><p>In der Nähe gibt es offene Meldungen dieser Kategorie. Sie können eine davon unterstützen statt neu zu melden:</p><ul>" +
      r.data.results.map(function (d) {
        return "<li><a href='" + esc(d.url) + "'>" + esc(d.number) + ": " + esc(d.category) + ", " + esc(d.address || "ohne Adresse") +
          "</a> (" + Math.round(d.distance_m) + " m) – " + esc(d.description.slice(0, 80)) + "</li>";
      }).join("") + "</ul>";
  }

  async function search() {
    const q = address.value.trim();
    if (q.length < 2) return;
    const r = await getJson(cfg.searchUrl + "?q=" + encodeURIComponent(q) + "&limit=6");
    results.innerHTML = "";
    if (!r.ok || !r.data.results.length) { results.innerHTML = "<li class='empty'>Nichts gefunden.</li>"; return; }
    r.data.results.forEach(function (hit) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = hit.label;
      b.addEventListener("click", function () {
        results.innerHTML = "";
        address.value = hit.label;
        setPoint(hit.lat, hit.lon, hit.label, 18);
      });
      li.appendChild(b);
      results.appendChild(li);
    });
    const first = results.querySelector("button");
    if (first) first.focus();
  }

  document.getElementById("address-search").addEventListener("click", search);
  address.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); search(); }
  });
  address.addEventListener("input", function () { lat.value = ""; lon.value = ""; });
  category.addEventListener("change", showDuplicates);

  document.getElementById("use-gps").addEventListener("click", function () {
    if (!navigator.geolocation) { place.textContent = "Ihr Gerät gibt keinen Standort heraus."; return; }
    place.textContent = "Standort wird ermittelt …";
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint(pos.coords.latitude, pos.coords.longitude, null, 18);
    }, function (err) {
      place.textContent = "Standort nicht verfügbar (" + err.message + "). Bitte Adresse eingeben oder auf die Karte tippen.";
    }, {enableHighAccuracy: true, timeout: 15000});
  });

  form.querySelector("[name=photos]").addEventListener("change", async function (event) {
    if (lat.value) return;  // an explicit pin wins over a photo's position
    for (const file of event.target.files) {
      const body = new FormData();
      body.append("photo", file);
      const r = await getJson(cfg.photoLocationUrl, {method: "POST", body: body});
      if (r.ok && r.data.lat != null) { setPoint(r.data.lat, r.data.lon, null, 18); place.textContent += " – aus dem Foto"; return; }
    }
  });

  window.reportMapInit = function (m) {
    map = m;
    window.reportMap = m;  // as window.landuseMap: lets a browser test click a given place
    map.invalidateSize();
    addDistricts(map, cfg.areasUrl);
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng, null, null); });
    if (lat.value && lon.value) setPoint(parseFloat(lat.value), parseFloat(lon.value), null, 17);
  };
})();
