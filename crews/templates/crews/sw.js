/* Einsatz service worker: network first for the crew pages, the cache when offline.
   Only GETs are cached; changes are queued by crew.js in IndexedDB, not here. */
{% load i18n %}{% get_available_languages as languages %}const CACHE = "einsatz-v1";
// The scripts' string catalogues: the pages need them offline too.
const CATALOGUES = [{% for code, name in languages %}"{% url 'js-catalog' code %}"{% if not forloop.last %}, {% endif %}{% endfor %}];
{% url 'services:basemap-tile' 0 0 0 as basemap_tile %}const BASEMAP = "{{ basemap_tile }}".replace("0/0/0.mvt", "");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(["{% url 'crews:queue' %}"].concat(CATALOGUES)).catch(function () {});
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The base map's tiles too: a tablet offline still shows the streets it looked at before.
  const cacheable = url.pathname.startsWith("/einsatz/") || url.pathname.startsWith("/static/") ||
    url.pathname.indexOf("/fotos/") > 0 || CATALOGUES.indexOf(url.pathname) >= 0 ||
    url.pathname.startsWith(BASEMAP);
  if (!cacheable || url.pathname.endsWith("/sw.js")) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) {
      return hit || caches.match(request, {ignoreSearch: true});
    }).then(function (hit) {
      return hit || new Response("{{ offline_text|escapejs }}",
        {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
    });
  }));
});
