/* Einsatz tablets: register the service worker, queue changes made offline in IndexedDB and
   replay them when the network returns. Each change carries a client UUID (`key`); the server
   stores the result under it, so a replay after a lost answer is applied once. */
(function () {
  "use strict";
  const DB = "einsatz", STORE = "changes";
  const gettext = window.Portal.gettext;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      const r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  function open() {
    return new Promise(function (resolve, reject) {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "key"}); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const t = db.transaction(STORE, mode);
        const req = fn(t.objectStore(STORE));
        t.oncomplete = function () { resolve(req && req.result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  const put = function (item) { return tx("readwrite", function (s) { return s.put(item); }); };
  const del = function (key) { return tx("readwrite", function (s) { return s.delete(key); }); };
  const all = function () { return tx("readonly", function (s) { return s.getAll(); }); };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    node.textContent = text;
    return node;
  }

  function log(text, cls) {
    const box = document.getElementById("sync-log");
    if (box) box.appendChild(el("p", cls || "ok", text));
  }

  function updateState() {
    const box = document.getElementById("net-state");
    if (!box) return Promise.resolve();
    return all().then(function (items) {
      const waiting = items.length ? " · " + window.Portal.interpolate(window.Portal.ngettext(
        "%(count)s Änderung wartet", "%(count)s Änderungen warten", items.length), {count: items.length}, true) : "";
      box.textContent = (navigator.onLine ? gettext("Online") : gettext("Offline")) + waiting;
      box.className = "net-state " + (navigator.onLine ? "online" : "offline");
    }).catch(function () {});
  }

  function csrfCookie() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function send(item) {
    // The token of the page the change was made on may be stale by the time of a replay (a new
    // login rotates it): send the current cookie's token in the header instead.
    const body = new FormData();
    item.entries.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]);
    });
    return fetch(item.url, {method: "POST", body: body, credentials: "same-origin",
                            headers: {"X-CSRFToken": csrfCookie()}})
      .then(function (r) {
        return r.json().catch(function () { return {error: gettext("Antwort %(status)s", {status: r.status})}; })
          .then(function (json) { return {status: r.status, body: json}; });
      }, function () { return {offline: true}; });
  }

  function describe(item, res) {
    if (res.status === 200) {
      const b = res.body;
      return [gettext("Meldung %(number)s: übertragen", {number: item.number}) +
              (b.stage_label ? " (" + b.stage_label + ")" : "") +
              (b.replayed ? ", " + gettext("war schon gespeichert") : ""), "ok"];
    }
    if (res.status === 409) {
      return [gettext("Konflikt bei %(number)s: %(error)s", {number: item.number, error: res.body.error}), "error"];
    }
    return [gettext("Nicht gespeichert (%(number)s): %(error)s", {number: item.number, error: res.body.error || res.status}),
            "error"];
  }

  // A replayed change of the report on screen: its stage and version are now the server's, and
  // "wartet auf Netz" no longer true.
  function showApplied(item, res) {
    const form = document.querySelector("form[data-offline]");
    const stage = document.getElementById("current-stage");
    if (res.status !== 200 || !form || !stage || item.url !== form.dataset.api) return;
    if (res.body.stage_label) {
      stage.textContent = res.body.stage_label;
      stage.className = "stage stage-" + res.body.stage;
    }
    const version = document.getElementById("current-version");
    if (version && res.body.version) version.textContent = String(res.body.version);
  }

  let replaying = false;
  function replay() {
    if (replaying || !navigator.onLine) return Promise.resolve();
    replaying = true;
    return all().then(function (items) {
      items.sort(function (a, b) { return a.at - b.at; });
      return items.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          return send(item).then(function (res) {
            if (res.offline) return true;  // still no network: keep the rest queued, in order
            if (res.status === 401 || res.status === 403) {
              // Logged out meanwhile: keep everything queued until the crew logs in again.
              log(gettext("Bitte neu anmelden: gespeicherte Änderungen warten."), "error");
              return true;
            }
            return del(item.key).then(function () {
              const d = describe(item, res);
              log(d[0], d[1]);
              showApplied(item, res);
              return false;
            });
          });
        });
      }, Promise.resolve(false));
    }).catch(function (err) { log(gettext("Abgleich fehlgeschlagen: %(error)s", {error: err}), "error"); })
      .then(function () { replaying = false; return updateState(); });
  }

  function afterQueued(form) {
    // The queued change will raise the version by one; a second offline change builds on it.
    document.querySelectorAll("form[data-offline] input[name=version]").forEach(function (input) {
      input.value = String(parseInt(input.value, 10) + 1);
    });
    document.querySelectorAll("form[data-offline] input[name=key]").forEach(function (input) {
      input.value = uuid();
    });
    const chosen = form.querySelector("input[name=stage]:checked");
    const stage = document.getElementById("current-stage");
    if (chosen && stage) stage.textContent = chosen.parentNode.textContent.trim() + " (" + gettext("wartet auf Netz") + ")";
    form.reset();
  }

  function onSubmit(event) {
    const form = event.target;
    event.preventDefault();
    const data = new FormData(form);
    const photo = data.get("photo");
    if (photo && photo.size === 0) data.delete("photo");
    const item = {key: data.get("key"), url: form.dataset.api, number: form.dataset.number,
                  entries: Array.from(data.entries()), at: Date.now()};
    const result = document.getElementById("change-result");
    const attempt = navigator.onLine ? send(item) : Promise.resolve({offline: true});
    attempt.then(function (res) {
      if (res.offline) {
        return put(item).then(function () {
          afterQueued(form);
          result.replaceChildren(el("p", "warn",
            gettext("Offline gespeichert: wird gesendet, sobald wieder Netz da ist.")));
          return updateState();
        });
      }
      if (res.status === 200) {
        // A forward to another office takes the report out of this user's reach: back to the list.
        window.location.assign(res.body.visible === false ? form.dataset.forwarded
                                                          : window.location.pathname + "?gespeichert=1");
        return;
      }
      const d = describe(item, res);
      result.replaceChildren(el("p", "error", d[0]));
      form.querySelectorAll("input[name=key]").forEach(function (i) { i.value = uuid(); });
    });
  }

  document.querySelectorAll("form[data-offline]").forEach(function (form) {
    // A page from the offline cache carries the key it was rendered with: take a fresh one, or
    // two changes made from two loads of that page would share a key (and one would be lost).
    form.querySelectorAll("input[name=key]").forEach(function (i) { i.value = uuid(); });
    form.addEventListener("submit", onSubmit);
  });

  const locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("lon").value = pos.coords.longitude.toFixed(6);
        document.getElementById("order").value = "distance";
        document.getElementById("queue-filter").submit();
      }, function () { log(gettext("Standort nicht verfügbar."), "error"); });
    });
  }

  window.crewQueueMap = function () {
    const box = document.getElementById("crew-map");
    if (!box || !window.L) return;
    const map = L.map(box);
    // The portal's configured base map (geoportal/static/geoportal/basemap.js): our own vector
    // tiles unless a third-party map is configured, so the crews' map works without internet.
    if (window.geoportalBasemap) window.geoportalBasemap(map);
    const points = [];
    document.querySelectorAll(".queue-item").forEach(function (a) {
      const ll = [parseFloat(a.dataset.lat), parseFloat(a.dataset.lon)];
      points.push(ll);
      // The category glyph on the status colour, as on the public report map.
      L.marker(ll, {icon: window.Portal.reportIcon({status: a.dataset.status, group_code: a.dataset.group}),
                    title: a.dataset.number + " · " + a.dataset.category})
        .addTo(map).bindPopup("<a href='" + window.Portal.escapeHtml(a.getAttribute("href")) + "'>" +
                              window.Portal.escapeHtml(a.dataset.number) + "</a>");
    });
    const home = window.Portal.json("geoportal-basemap", {});
    if (points.length) map.fitBounds(points, {padding: [30, 30], maxZoom: 17});
    else map.setView(home.center, home.zoom);
  };
  // Scripts at the end of the page (Leaflet among them) have all run by now: no inline call.
  document.addEventListener("DOMContentLoaded", window.crewQueueMap);

  if ("serviceWorker" in navigator && document.body.dataset.sw) {
    navigator.serviceWorker.register(document.body.dataset.sw, {scope: "/einsatz/"})
      .catch(function () {});
  }
  // Changes still queued are not in the version this page shows (a page from the offline cache,
  // or one rendered before the replay): each queued status change or forward adds one.
  function adjustVersions() {
    const forms = document.querySelectorAll("form[data-offline]");
    if (!forms.length) return Promise.resolve();
    return all().then(function (items) {
      forms.forEach(function (form) {
        const pending = items.filter(function (item) {
          const action = item.entries.find(function (pair) { return pair[0] === "action"; });
          return item.url === form.dataset.api && !(action && action[1] === "note");
        }).length;
        const input = form.querySelector("input[name=version]");
        if (pending && input) input.value = String(parseInt(input.value, 10) + pending);
      });
      const stage = document.getElementById("current-stage");
      if (stage && items.some(function (i) { return i.url === forms[0].dataset.api; })) {
        stage.textContent += " (" + gettext("Änderung wartet auf Netz") + ")";
      }
    }).catch(function () {});
  }

  window.addEventListener("online", replay);
  window.addEventListener("offline", updateState);
  window.crewReplay = replay;
  adjustVersions().then(replay);
})();
