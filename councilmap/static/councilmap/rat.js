/* Open.RIS.Map: the decision layer on the city map; the filter form reloads map, list and
   statistics without leaving the page (the same form works without JavaScript). A paper's page
   shows its places. URLs come from the map box's data attributes. */
(function () {
  "use strict";
  const P = window.Portal;
  const esc = P.escapeHtml;
  // Keyed by the council's own result words (data from the OParl system, not interface text).
  const colours = {"Beschlossen": "#1a7f37", "Beschlossen mit Änderungen": "#4d9221",
                   "Abgelehnt": "#b42318", "Vertagt": "#b7791f", "Zur Kenntnis genommen": "#1d4e89"};

  function colour(props) { return colours[props.result] || "#6b21a8"; }

  function popup(p) {
    const lines = ["<strong><a href='" + esc(p.url) + "'>" + esc(p.name) + "</a></strong>"];
    lines.push(esc([p.reference, p.paper_type].filter(Boolean).join(" · ")));
    if (p.committee) lines.push(esc(p.committee) + (p.decided_on ? " – " + esc(P.date(p.decided_on)) : ""));
    if (p.result) lines.push(P.gettext("Ergebnis: %(result)s", {result: "<strong>" + esc(p.result) + "</strong>"}));
    const source = p.source === "extracted" ? P.gettext("aus dem Text") : p.source;
    lines.push(esc(P.gettext("Ort: %(place)s (%(source)s)", {place: p.place, source: source})));
    if (p.web) {
      lines.push("<a href='" + esc(p.web) + "' rel='noopener external' target='_blank'>" +
                 esc(P.gettext("im Ratsinformationssystem")) + "</a>");
    }
    return lines.join("<br>");
  }

  function query(form) {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") params.append(key, value); });
    return params;
  }

  document.addEventListener("geoportal:map", function (event) {
    const map = event.detail.map;
    const cfg = P.mapConfig(map);
    const form = document.getElementById("rat-filter");
    if (!form) return;
    const layer = L.geoJSON(null, {
      style: function (f) { return {color: colour(f.properties), weight: 5, fillOpacity: 0.15}; },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {radius: 8, color: colour(f.properties), fillOpacity: 0.8});
      },
      onEachFeature: function (f, lyr) {
        lyr.bindPopup(popup(f.properties));
        lyr.bindTooltip(esc(f.properties.name), {sticky: true});
      }
    }).addTo(map);

    function renderList(features) {
      const list = document.getElementById("rat-list");
      const seen = new Set();
      list.innerHTML = "";
      features.forEach(function (f) {
        const p = f.properties;
        if (seen.has(p.paper_id)) return;
        seen.add(p.paper_id);
        const li = document.createElement("li");
        li.dataset.paper = p.paper_id;
        li.innerHTML = "<a href='" + esc(p.url) + "'>" + esc(p.name) + "</a><span class='meta'>" +
          esc([p.reference, p.paper_type, p.committee].filter(Boolean).join(" · ")) +
          (p.result ? " · <strong>" + esc(p.result) + "</strong>" : "") + "</span>";
        list.appendChild(li);
      });
      if (!seen.size) {
        list.innerHTML = "<li class='empty'>" + esc(P.gettext("Keine Vorlagen mit Ort für diese Auswahl.")) + "</li>";
      }
      document.getElementById("rat-count").textContent =
        P.interpolate(P.ngettext("%(count)s Vorlage", "%(count)s Vorlagen", seen.size), {count: seen.size}, true);
    }

    async function load() {
      const params = query(form);
      let geo, stats;
      try {
        [geo, stats] = await Promise.all([
          P.getJson(cfg.decisionsUrl + "?" + params), P.getJson(cfg.statisticsUrl + "?" + params)
        ]);
      } catch (error) {
        layer.clearLayers();
        document.getElementById("rat-count").textContent = error.message || P.gettext("Ungültiger Filter");
        return;
      }
      layer.clearLayers();
      layer.addData(geo);
      map.getContainer().dataset.features = geo.features.length;
      renderList(geo.features);
      if (stats.districts) {
        document.querySelector("#rat-stats tbody").innerHTML = stats.districts.map(function (s) {
          return "<tr><td>" + esc(s.name) + "</td><td>" + s.papers + "</td><td>" + s.decisions + "</td></tr>";
        }).join("");
      }
      history.replaceState(null, "", "?" + params);
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    form.addEventListener("change", function () { load(); });
    load();
  });

  /* A paper's page: its places. */
  window.paperMapInit = function (map) {
    P.getJson(P.mapConfig(map).decisionsUrl).then(function (data) {
      const layer = L.geoJSON(data, {
        style: {color: "#1d4e89", weight: 5, fillOpacity: 0.15},
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 8}); }
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds(), {maxZoom: 17});
      map.getContainer().dataset.features = data.features.length;
    });
  };
})();
