/**
 * The service worker of a front end (the citizen app at `/sw.js`, the kiosk at
 * `/kiosk/sw.js`). The server stamps the `const BUILD` line with the shell's name, the version of
 * its assets and what to precache; a new version means new bytes here, so the browser
 * installs the new worker beside the old one and the page offers to reload into it.
 *
 * - Precached files (styles, fonts, modules, catalogs, shell pages) are answered from this
 *   version's cache: `<app>-<version>`.
 * - Page navigations go to the network first (the catalogue changes) and fall back to the
 *   cached page when offline; every page fetched is kept for the next offline visit.
 * - Everything else (the API, other origins) is left to the browser.
 */
const BUILD = {"app":"amtsweg-dev","version":"dev","precache":[]};
const CACHE = `${BUILD.app}-${BUILD.version}`;
const PRECACHED = new Set(BUILD.precache);

self.addEventListener("install", (event) => {
  // `cache: "reload"` skips the HTTP cache: a new version must get the new files.
  const requests = BUILD.precache.map((url) => new Request(url, { cache: "reload" }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener("activate", (event) => {
  // Only our own prefix: the other front end's caches on this origin are not ours.
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(`${BUILD.app}-`) && name !== CACHE)
          .map((name) => caches.delete(name)),
      ),
    ),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || fetch(request);
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // Pages that carry a capability token say no-store: they must never sit in a cache.
    const storable = !(response.headers.get("Cache-Control") || "").includes("no-store");
    if (response.ok && response.type === "basic" && storable) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (PRECACHED.has(url.pathname + url.search)) {
    event.respondWith(fromCache(request));
  }
});
