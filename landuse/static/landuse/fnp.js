/* The FNP map: the plan in PlanZV colours (reloaded per view, simplified by zoom), "what is
   planned here?" on click or for a searched address, and the area statistics. URLs come from
   the map box's data attributes. */
(function () {
  "use strict";
  const P = window.Portal;
  const esc = P.escapeHtml;
  const colors = P.json("fnp-colors", {});

  function style(feature) {
    const cls = colors[feature.properties.class] || {color: "#777", fill: true};
    return cls.fill
      ? {color: "#555", weight: 0.5, fillColor: cls.color, fillOpacity: 0.65}
      : {color: cls.color, weight: 2, fill: false, dashArray: "6 4"};
  }

  /* The plan's internal id means nothing to a citizen: name, version, dates and size. */
  function answerHtml(results) {
    if (!results.length) return "<p>" + esc(P.gettext("Hier stellt kein Flächennutzungsplan etwas dar.")) + "</p>";
    return results.map(function (r) {
      const plan = r.plan;
      return "<div class='fnp-answer-item' style='--c: " + esc(r.color) + "'>" +
        "<p><strong>" + esc(r.display_label) + "</strong></p>" +
        "<p>" + esc(r.legal_basis) + "</p>" +
        "<p>" + esc(P.gettext("%(name)s, Version %(version)s", {name: plan.name, version: plan.version})) +
        (plan.legal_status ? " (" + esc(plan.legal_status) + ")" : "") + "</p>" +
        "<p>" + esc(P.gettext("Aufstellung: %(drawn)s · Wirksamkeit: %(effective)s",
                        {drawn: P.date(plan.drawn_up), effective: P.date(plan.effective)})) + "</p>" +
        "<p class='hint'>" + esc(P.gettext("Größe: %(area)s ha", {area: P.number(r.area_ha, 1)})) + "</p></div>";
    }).join("");
  }

  function figure(name, value) {
    return value === null || value === "" || value === undefined ? "" :
      "<li>" + esc(name) + ": " + esc(typeof value === "number" ? P.number(value, 2) : value) + "</li>";
  }

  /* "Which Bebauungsplan applies here?": the binding plan next to the FNP's intention. */
  function bplanHtml(plans) {
    if (!plans || !plans.length) return "";
    return plans.map(function (p) {
      const here = p.here.map(function (f) {
        return "<li><strong>" + esc(f.label) + "</strong>" +
          (f.art ? ": " + esc(f.art) : "") + "<ul>" +
          figure(P.gettext("GRZ"), f.grz) + figure(P.gettext("GFZ"), f.gfz) + figure(P.gettext("Vollgeschosse (Z)"), f.z) +
          figure(P.gettext("höchstens Vollgeschosse"), f.z_max) + figure(P.gettext("Bauweise"), f.bauweise) +
          figure(P.gettext("Zweckbestimmung"), f.zweckbestimmung) + "</ul></li>";
      }).join("");
      const docs = p.documents.map(function (d) {
        return "<li><a href='" + esc(d.url) + "'>" + esc(d.name) + "</a></li>";
      }).join("");
      return "<div class='fnp-bplan'><h3>" + esc(P.gettext("Bebauungsplan %(name)s", {name: p.name})) + "</h3>" +
        "<p>" + esc(p.plan_type) + " · " + esc(p.legal_status) +
        (p.effective ? " " + esc(P.gettext("seit %(date)s", {date: P.date(p.effective)})) : "") + "</p>" +
        (here ? "<ul>" + here + "</ul>" : "") +
        "<ul class='fnp-bplan-docs'>" + docs + "<li><a href='" + esc(p.xplan) +
        "'>XPlanGML</a></li></ul></div>";
    }).join("");
  }

  function whatIsHere(map, cfg, latlng) {
    const url = P.withQuery(cfg.atUrl, {lat: latlng.lat.toFixed(6), lon: latlng.lng.toFixed(6), plan: cfg.plan});
    const box = document.getElementById("fnp-answer");
    P.getJson(url).then(function (data) {
      const html = answerHtml(data.results) + bplanHtml(data.bplans);
      box.innerHTML = "<h2>" + esc(P.gettext("Was ist hier geplant?")) + "</h2>" + html;
      L.popup({maxWidth: 320}).setLatLng(latlng).setContent(html).openOn(map);
    }).catch(function (error) {
      box.innerHTML = "<p class='error'>" + esc(error.message) + "</p>";
    });
  }

  function planLayer(map, cfg) {
    const layer = L.geoJSON(null, {style: style}).addTo(map);
    let latest = 0;
    function reload() {
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return v.toFixed(5);
      }).join(",");
      const ticket = ++latest;
      P.getJson(P.withQuery(cfg.geojsonUrl, {bbox: bbox, zoom: map.getZoom(), plan: cfg.plan}))
        .then(function (data) {
          if (ticket !== latest) return;  // the map moved on; a newer answer is coming
          layer.clearLayers();
          layer.addData(data);
          map.getContainer().dataset.features = data.features.length;
        });
    }
    map.on("moveend", reload);
    reload();
  }

  function table(head, rows) {
    return "<table><thead><tr>" + head.map(function (h, i) {
      return "<th" + (i ? " class='num'" : "") + ">" + esc(h) + "</th>";
    }).join("") + "</tr></thead><tbody>" + rows.map(function (row) {
      return "<tr>" + row.map(function (cell, i) {
        return "<td" + (i ? " class='num'" : "") + ">" + esc(cell) + "</td>";
      }).join("") + "</tr>";
    }).join("") + "</tbody></table>";
  }

  function showStats(cfg) {
    const box = document.getElementById("fnp-stats");
    P.getJson(P.withQuery(cfg.statsUrl, {plan: cfg.plan})).then(function (data) {
      const fmt = function (v) { return P.number(v, 1); };
      const classes = table([P.gettext("Darstellung"), P.gettext("Flächen"), P.gettext("Hektar")], data.classes.map(function (c) {
        return [c.display_label, P.number(c.areas, 0), fmt(c.hectares)];
      }));
      const keys = data.classes.map(function (c) { return c.class_key; });
      const byDistrict = table([P.gettext("Stadtbezirk")].concat(data.classes.map(function (c) { return c.display_label; }), [P.gettext("gesamt")]),
        data.districts.map(function (d) {
          return [d.district].concat(keys.map(function (k) { return fmt(d.by_class[k]); }), [fmt(d.hectares)]);
        }));
      box.innerHTML = "<h3>" + esc(P.gettext("Je Darstellung")) + "</h3>" + classes +
        "<h3>" + esc(P.gettext("Je Stadtbezirk (ha)")) + "</h3>" + byDistrict;
    }).catch(function (error) {
      box.innerHTML = "<p class='error'>" + esc(error.message) + "</p>";
    });
  }

  window.landuseMapInit = function (map) {
    window.landuseMap = map;
    const cfg = P.mapConfig(map);
    planLayer(map, cfg);
    // Bebauungsplan boundaries on top, so a click inside one asks for both answers.
    P.getJson(cfg.bplansUrl).then(function (data) {
      L.geoJSON(data, {interactive: false,
                       style: {color: "#000", weight: 2, dashArray: "8 4", fill: false}}).addTo(map);
    }).catch(function () { /* no plans, or the service is down: the FNP still works */ });
    let marker = null;
    const search = document.querySelector("[data-address-search]");
    if (search) {
      P.addressSearch(search, function (hit) {
        if (hit.precision === "area" && hit.bbox) {
          // "Ehrenfeld" was answered with what is planned at the quarter's middle, as if that
          // were the quarter's plan: an area shows itself and asks for the spot in it.
          if (marker) { marker.remove(); marker = null; }
          map.closePopup();
          map.fitBounds([[hit.bbox[1], hit.bbox[0]], [hit.bbox[3], hit.bbox[2]]]);
          document.getElementById("fnp-answer").innerHTML = "<p>" + esc(P.gettext(
            "%(area)s ist ein Gebiet: tippen Sie auf die Karte, um zu sehen, was an einer Stelle darin geplant ist.",
            {area: hit.label})) + "</p>";
          return;
        }
        const latlng = L.latLng(hit.lat, hit.lon);
        map.setView(latlng, 16);
        if (marker) marker.remove();
        marker = L.marker(latlng).addTo(map);
        whatIsHere(map, cfg, latlng);
      });
    }
    map.on("click", function (event) { whatIsHere(map, cfg, event.latlng); });
    showStats(cfg);
  };
})();
