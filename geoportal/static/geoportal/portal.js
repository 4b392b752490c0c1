/* The one front-end module every page script uses: HTML escaping, JSON fetches, the address
   search box, the cluster marker and the map configuration. Pages bind it through data
   attributes rendered with {% url %} (no URL literals in scripts, no inline configuration, so a
   nonce-based Content-Security-Policy holds), and every string goes through Django's JavaScript
   catalogue (gettext/ngettext/interpolate), loaded before this file by the base template. */
(function () {
  "use strict";
  // The catalogue is a separate request; should it fail, the German source strings still show.
  const catalogue = window.gettext || function (s) { return s; };
  const ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  const interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, key) { return String(obj[key]); });
  };

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  /* A translated string, with named values: gettext("Ort: %(place)s", {place: label}). Called
     by this name so that `make messages` (xgettext) finds the strings in every script. */
  function gettext(text, values) {
    return values ? interpolate(catalogue(text), values, true) : catalogue(text);
  }

  /* GET (or `options`) a JSON answer. Rejects on an HTTP error with the API's own message
     (`detail`) and the body as `error.data`, so callers can show what the server said. */
  async function getJson(url, options) {
    const response = await fetch(url, Object.assign({headers: {Accept: "application/json"}}, options || {}));
    const data = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const error = new Error(data.detail || data.error || gettext("Fehler %(status)s", {status: response.status}));
      error.data = data;
      error.status = response.status;
      throw error;
    }
    return data;
  }

  /* A URL with query parameters appended, whether or not the base already has a query. */
  function withQuery(url, params) {
    const query = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      if (params[key] !== null && params[key] !== undefined && params[key] !== "") query.append(key, params[key]);
    });
    const text = query.toString();
    return text ? url + (url.indexOf("?") >= 0 ? "&" : "?") + text : url;
  }

  /* A JSON block rendered by the page with {{ value|json_script:"id" }}. */
  function json(id, fallback) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : fallback;
  }

  /* The address search box. `root` carries data-address-search="<search URL>" and holds
     [data-search-input], [data-search-results] and optionally [data-search-button];
     data-search-live searches while typing, data-search-limit caps the hits. As a <form> it
     searches on submit (the form itself works without JavaScript); inside another form, on
     Enter or the button. `onChoose(hit)` gets the hit the user picked. */
  function addressSearch(root, onChoose) {
    const input = root.querySelector("[data-search-input]") || root.querySelector("input");
    const list = root.querySelector("[data-search-results]");
    const button = root.querySelector("[data-search-button]");
    let timer = null;
    let latest = 0;

    function choose(hit) {
      list.innerHTML = "";
      input.value = hit.label;
      onChoose(hit);
    }

    function note(text) {
      list.appendChild(Object.assign(document.createElement("li"), {className: "note", textContent: text}));
    }

    function show(results, reason, acceptConfidence) {
      list.innerHTML = "";
      if (!results.length) {
        // The server's reason says why ("Bonn" is outside the area served), not only that.
        const text = gettext("Nichts gefunden.") + (reason ? " " + reason : "");
        list.appendChild(Object.assign(document.createElement("li"), {className: "empty", textContent: text}));
        return;
      }
      // Hits with a doubt ("Hauptstraße" is not in the postcode typed): say it above them.
      if (reason) note(reason);
      // A best hit below the threshold the forms take a hit at is a guess ("Poppelsdorfer
      // Allee 1" found only "Giesdorfer Allee 1, Köln"): asked as a question, as the forms
      // without JavaScript ask it. The threshold comes with the answer, not from a copy here.
      if (typeof acceptConfidence === "number" && results[0].confidence < acceptConfidence) {
        note(gettext("Meinten Sie:"));
      }
      results.forEach(function (hit) {
        const item = document.createElement("li");
        const choice = document.createElement("button");
        choice.type = "button";
        choice.textContent = hit.label;
        choice.addEventListener("click", function () { choose(hit); });
        item.appendChild(choice);
        list.appendChild(item);
      });
    }

    async function run() {
      const q = input.value.trim();
      if (q.length < 2) { list.innerHTML = ""; return; }
      const ticket = ++latest;
      let results = [];
      let reason = "";
      let acceptConfidence = null;
      try {
        const body = await getJson(withQuery(root.dataset.addressSearch,
                                             {q: q, limit: root.dataset.searchLimit}));
        results = body.results;
        reason = body.reason || "";
        acceptConfidence = body.accept_confidence;
      } catch (error) { /* shown as "nothing found": the user can type on or use the map */ }
      if (ticket !== latest) return;  // a newer search is under way; its answer wins
      show(results, reason, acceptConfidence);
    }

    function runAndFocus() {
      clearTimeout(timer);
      run().then(function () {
        const first = list.querySelector("button");
        if (first) first.focus();
      });
    }

    if ("searchLive" in root.dataset) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 200);
      });
    }
    if (root.tagName === "FORM") {
      root.addEventListener("submit", function (event) { event.preventDefault(); runAndFocus(); });
    } else {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); runAndFocus(); }
      });
    }
    if (button) button.addEventListener("click", runAndFocus);
    return {input: input, list: list};
  }

  /* A group of `count` features drawn as one circle with the number; a click zooms in. */
  function clusterMarker(map, latlng, count, color) {
    const marker = L.circleMarker(latlng, {radius: Math.min(10 + 4 * Math.log2(count), 30), weight: 2,
                                           color: "#fff", fillColor: color || "#1d4e89", fillOpacity: 0.85});
    marker.bindTooltip(String(count), {permanent: true, direction: "center", className: "cluster-count"});
    marker.on("click", function () { map.setView(latlng, map.getZoom() + 2); });
    return marker;
  }

  /* A report's marker, the same on the report map and the city map: one glyph per top
     category (its code, the GeoJSON's group_code), white on the status colour, so a pothole and
     a broken lamp differ at a glance; a top category without a glyph gets three dots. Inline
     SVG paths on a 24 px grid: no icon font, no request. */
  const REPORT_COLORS = {open: "#b00020", in_progress: "#c77700", closed: "#1b7f3b", rejected: "#555"};
  const REPORT_GLYPHS = {
    strasse: "M7 21 10 3M17 21 14 3M12 6v2M12 11v2M12 16v2",
    beleuchtung: "M9 17h6M10 20h4M12 3a5 5 0 0 0-3 9v2h6v-2a5 5 0 0 0-3-9z",
    gruen: "M12 21v-6M12 3 5 15h14z",
    muell: "M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13",
    verkehr: "M9 3h6v18H9zM12 7v0M12 12v0M12 17v0",
    ordnung: "M12 4 3 20h18zM12 10v4M12 17v0",
    sonstiges: "M7 12v0M12 12v0M17 12v0"
  };

  function reportIcon(p) {
    const code = String(p.group_code || "").toLowerCase().replace(/[^a-z0-9-]/g, "");
    const known = Object.prototype.hasOwnProperty.call(REPORT_GLYPHS, code);
    const fill = REPORT_COLORS[p.status] || "#1d4e89";
    return L.divIcon({
      className: "report-marker report-marker-" + (known ? code : "other"),
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -13],
      html: "<svg viewBox='0 0 24 24' width='30' height='30' aria-hidden='true' focusable='false'>" +
            "<circle cx='12' cy='12' r='11' fill='" + fill + "' stroke='#fff' stroke-width='1.5'/>" +
            "<path d='" + REPORT_GLYPHS[known ? code : "sonstiges"] + "' transform='translate(5 5) scale(.583)'" +
            " fill='none' stroke='#fff' stroke-width='2.6' stroke-linecap='round' stroke-linejoin='round'/></svg>"
    });
  }

  /* The city's districts as a thin outline under everything else: orientation even where the
     background map does not load. */
  function districtOutlines(map, areasUrl) {
    return getJson(withQuery(areasUrl, {kind: "district"})).then(function (data) {
      return L.geoJSON(data, {interactive: false, style: {color: "#1d4e89", weight: 2, fillOpacity: 0.03}})
        .addTo(map).bringToBack();
    }).catch(function () { return null; });
  }

  /* The map configuration of a page: the data attributes of the element that holds the map
     (data-areas-url, data-search-url, data-reverse-url, ... rendered with {% url %}). */
  function mapConfig(map) {
    const box = map.getContainer().closest("[data-map-config]") || map.getContainer();
    return box.dataset;
  }

  /* "8.651,3" on German pages, "8,651.3" on English ones. */
  function number(value, digits) {
    if (value === null || value === undefined || value === "") return "";
    return Number(value).toLocaleString(document.documentElement.lang || "de",
                                        {maximumFractionDigits: digits == null ? 1 : digits});
  }

  /* An ISO date (2024-05-01) in the page's language. */
  function date(iso) {
    if (!iso) return "–";
    const parts = iso.split("-").map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2]).toLocaleDateString(document.documentElement.lang || "de");
  }

  window.Portal = {
    escapeHtml: escapeHtml, getJson: getJson, withQuery: withQuery, json: json,
    gettext: gettext, ngettext: ngettext, interpolate: interpolate,
    addressSearch: addressSearch, clusterMarker: clusterMarker, districtOutlines: districtOutlines,
    reportIcon: reportIcon,
    mapConfig: mapConfig, number: number, date: date
  };
})();
