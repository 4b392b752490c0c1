/* The FNP map: the plan in PlanZV colours (reloaded per view, simplified by zoom), "what is
   planned here?" on click or for a searched address, and the area statistics. */
(function () {
  "use strict";
  const cfg = window.LANDUSE;
  const colors = JSON.parse(document.getElementById("fnp-colors").textContent);
  const planParam = cfg.plan ? "&plan=" + cfg.plan : "";

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  async function getJson(url) {
    const response = await fetch(url, {headers: {Accept: "application/json"}});
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || url + ": " + response.status);
    return body;
  }

  function style(feature) {
    const cls = colors[feature.properties.class] || {color: "#777", fill: true};
    return cls.fill
      ? {color: "#555", weight: 0.5, fillColor: cls.color, fillOpacity: 0.65}
      : {color: cls.color, weight: 2, fill: false, dashArray: "6 4"};
  }

  function germanDate(iso) {
    if (!iso) return "–";
    const [y, m, d] = iso.split("-");
    return d + "." + m + "." + y;
  }

  /* In the page's language ("91,8 ha" on German pages); the plan's internal id means nothing to a citizen. */
  function hectares(value) {
    return Number(value).toLocaleString(document.documentElement.lang || "de", {maximumFractionDigits: 1});
  }

  function answerHtml(results) {
    if (!results.length) return "<p>Hier stellt kein Flächennutzungsplan etwas dar.</p>";
    return results.map(function (r) {
      const plan = r.plan;
      return "<div class='fnp-answer-item' style='--c: " + escapeHtml(r.color) + "'>" +
        "<p><strong>" + escapeHtml(r.label) + "</strong></p>" +
        "<p>" + escapeHtml(r.legal_basis) + "</p>" +
        "<p>" + escapeHtml(plan.name) + ", Version " + plan.version +
        (plan.legal_status ? " (" + escapeHtml(plan.legal_status) + ")" : "") + "</p>" +
        "<p>Aufstellung: " + germanDate(plan.drawn_up) + " · Wirksamkeit: " +
        germanDate(plan.effective) + "</p>" +
        "<p class='hint'>Größe: " + hectares(r.area_ha) + " ha</p></div>";
    }).join("");
  }

  function figure(name, value) {
    return value === null || value === "" || value === undefined ? "" :
      "<li>" + name + ": " + escapeHtml(String(value).replace(".", ",")) + "</li>";
  }

  /* "Which Bebauungsplan applies here?": the binding plan next to the FNP's intention. */
  function bplanHtml(plans) {
    if (!plans || !plans.length) return "";
    return plans.map(function (p) {
      const here = p.here.map(function (f) {
        return "<li><strong>" + escapeHtml(f.label) + "</strong>" +
          (f.art ? ": " + escapeHtml(f.art) : "") + "<ul>" +
          figure("GRZ", f.grz) + figure("GFZ", f.gfz) + figure("Vollgeschosse (Z)", f.z) +
          figure("höchstens Vollgeschosse", f.z_max) + figure("Bauweise", f.bauweise) +
          figure("Zweckbestimmung", f.zweckbestimmung) + "</ul></li>";
      }).join("");
      const docs = p.documents.map(function (d) {
        return "<li><a href='" + escapeHtml(d.url) + "'>" + escapeHtml(d.name) + "</a></li>";
      }).join("");
      return "<div class='fnp-bplan'><h3>Bebauungsplan " + escapeHtml(p.name) + "</h3>" +
        "<p>" + escapeHtml(p.plan_type) + " · " + escapeHtml(p.legal_status) +
        (p.effective ? " seit " + germanDate(p.effective) : "") + "</p>" +
        (here ? "<ul>" + here + "</ul>" : "") +
        "<ul class='fnp-bplan-docs'>" + docs + "<li><a href='" + escapeHtml(p.xplan) +
        "'>XPlanGML</a></li></ul></div>";
    }).join("");
  }

  function whatIsHere(map, latlng) {
    const url = cfg.atUrl + "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6) + planParam;
    const box = document.getElementById("fnp-answer");
    getJson(url).then(function (data) {
      const html = answerHtml(data.results) + bplanHtml(data.bplans);
      box.innerHTML = "<h2>Was ist hier geplant?</h2>" + html;
      L.popup({maxWidth: 320}).setLatLng(latlng).setContent(html).openOn(map);
    }).catch(function (error) {
      box.innerHTML = "<p class='error'>" + escapeHtml(error.message) + "</p>";
    });
  }

  function planLayer(map) {
    const layer = L.geoJSON(null, {style: style}).addTo(map);
    let latest = 0;
    function reload() {
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return v.toFixed(5);
      }).join(",");
      const ticket = ++latest;
      getJson(cfg.geojsonUrl + "?bbox=" + bbox + "&zoom=" + map.getZoom() + planParam)
        .then(function (data) {
          if (ticket !== latest) return;  // the map moved on; a newer answer is coming
          layer.clearLayers();
          layer.addData(data);
          document.getElementById("fnp-map").dataset.features = data.features.length;
        });
    }
    map.on("moveend", reload);
    reload();
  }

  function wireSearch(map) {
    const form = document.querySelector("[data-search]");
    const input = form.querySelector("input");
    const list = document.getElementById("search-results");
    let marker = null;
    function choose(hit) {
      list.innerHTML = "";
      input.value = hit.label;
      const latlng = L.latLng(hit.lat, hit.lon);
      map.setView(latlng, 16);
      if (marker) marker.remove();
      marker = L.marker(latlng).addTo(map);
      whatIsHere(map, latlng);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const q = input.value.trim();
      if (q.length < 2) return;
      getJson(cfg.searchUrl + "?q=" + encodeURIComponent(q)).then(function (data) {
        list.innerHTML = data.results.length ? "" : "<li class='empty'>Nichts gefunden.</li>";
        data.results.forEach(function (hit) {
          const item = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = hit.label;
          button.addEventListener("click", function () { choose(hit); });
          item.appendChild(button);
          list.appendChild(item);
        });
        const first = list.querySelector("button");
        if (first) first.focus();
      });
    });
  }

  function table(head, rows) {
    return "<table><thead><tr>" + head.map(function (h, i) {
      return "<th" + (i ? " class='num'" : "") + ">" + escapeHtml(h) + "</th>";
    }).join("") + "</tr></thead><tbody>" + rows.map(function (row) {
      return "<tr>" + row.map(function (cell, i) {
        return "<td" + (i ? " class='num'" : "") + ">" + escapeHtml(cell) + "</td>";
      }).join("") + "</tr>";
    }).join("") + "</tbody></table>";
  }

  function showStats() {
    const box = document.getElementById("fnp-stats");
    getJson(cfg.statsUrl + (cfg.plan ? "?plan=" + cfg.plan : "")).then(function (data) {
      const fmt = function (v) { return v == null ? "" : v.toLocaleString("de-DE", {maximumFractionDigits: 1}); };
      const classes = table(["Darstellung", "Flächen", "Hektar"], data.classes.map(function (c) {
        return [c.label, c.areas, fmt(c.hectares)];
      }));
      const keys = data.classes.map(function (c) { return c.class_key; });
      const byDistrict = table(["Stadtbezirk"].concat(data.classes.map(function (c) { return c.label; }), ["gesamt"]),
        data.districts.map(function (d) {
          return [d.district].concat(keys.map(function (k) { return fmt(d.by_class[k]); }), [fmt(d.hectares)]);
        }));
      box.innerHTML = "<h3>Je Darstellung</h3>" + classes + "<h3>Je Stadtbezirk (ha)</h3>" + byDistrict;
    }).catch(function (error) {
      box.innerHTML = "<p class='error'>" + escapeHtml(error.message) + "</p>";
    });
  }

  window.landuseMapInit = function (map) {
    window.landuseMap = map;
    planLayer(map);
    // Bebauungsplan boundaries on top, so a click inside one asks for both answers.
    getJson("/geojson/bplans.geojson").then(function (data) {
      L.geoJSON(data, {interactive: false,
                       style: {color: "#000", weight: 2, dashArray: "8 4", fill: false}}).addTo(map);
    }).catch(function () { /* no plans, or the service is down: the FNP still works */ });
    wireSearch(map);
    map.on("click", function (event) { whatIsHere(map, event.latlng); });
    showStats();
  };
})();
