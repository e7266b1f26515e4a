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
 * - Web push (turned on by pwa/push.js): a push carries only a notice number; the worker
 *   fetches the text with a token the page kept in IndexedDB, shows it in that page's
 *   language, and opens the notice's page when it is clicked.
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

// The store pwa/push.js writes: one entry per token, `{token, lang, page}`.
const PUSH_DB = "amtsweg-push";
const PUSH_STORE = "tokens";
const PUSH_STORE_VERSION = 1;
// Written right to left, as RTL in app/core/translation.py.
const RTL_LANGUAGES = new Set(["ar", "fa", "he", "ur"]);
const NOTICE_ICON = "/static/pwa/icons/icon-192.png";

function pushTokens() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(PUSH_DB, PUSH_STORE_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(PUSH_STORE, { keyPath: "token" });
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const all = db.transaction(PUSH_STORE).objectStore(PUSH_STORE).getAll();
      all.onsuccess = () => resolve(all.result);
      all.onerror = () => reject(all.error);
      all.transaction.oncomplete = () => db.close();
    };
  });
}

function noticeId(event) {
  try {
    const id = event.data && event.data.json().n;
    return id ? String(id) : null;
  } catch {
    return null;
  }
}

/** The notice's text as the server gives it to `entry`'s token, or null. */
async function fetchNotice(id, entry) {
  const url = `/api/push/notices/${encodeURIComponent(id)}?lang=${encodeURIComponent(entry.lang)}`;
  try {
    const response = await fetch(url, { headers: { "X-Amtsweg-Token": entry.token }, cache: "no-store" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function noticeOptions(language, url, tag, body) {
  const direction = RTL_LANGUAGES.has(language.split("-")[0]) ? "rtl" : "ltr";
  return { body, tag, lang: language, dir: direction, icon: NOTICE_ICON, data: { url } };
}

async function pushCatalog(language) {
  const url = `/api/i18n/${encodeURIComponent(language)}`;
  try {
    const response = (await caches.match(url)) || (await fetch(url));
    if (response.ok) return (await response.json()).messages || {};
  } catch {
    // Offline and never cached: the English source text below is still readable.
  }
  return {};
}

// No token got the text (offline, the case deleted, reminders turned off for it on another
// device). Showing nothing is not an option: we subscribed with userVisibleOnly, and a push
// without a notification counts against the site. Chrome then shows its own "This site has
// been updated in the background" in the browser's language, Firefox cuts the site's push
// quota and Safari revokes the subscription. So a notice without content, in the language
// the citizen chose, under one tag (a second one replaces the first), that opens the page
// it came from when there is only one.
async function showGenericNotice(entries) {
  const language = entries.length ? entries[0].lang : "de";
  const messages = await pushCatalog(language);
  const _ = (msgid) => {
    const found = messages[msgid];
    return (Array.isArray(found) ? found[0] : found) || msgid;
  };
  const url = entries.length === 1 && entries[0].page ? entries[0].page : `/${language}/`;
  const options = noticeOptions(language, url, "amtsweg-notice", _("Please open the citizens' office website to read it."));
  return self.registration.showNotification(_("There is news about your appointment or case"), options);
}

async function showPushedNotice(event) {
  const id = noticeId(event);
  const entries = await pushTokens().catch(() => []);
  // One token after the other: the first whose case the notice belongs to gets its text.
  for (const entry of id ? entries : []) {
    const notice = await fetchNotice(id, entry);
    if (notice) {
      const options = noticeOptions(notice.lang || entry.lang, notice.url, notice.tag, notice.body);
      return self.registration.showNotification(notice.title, options);
    }
  }
  return showGenericNotice(entries);
}

self.addEventListener("push", (event) => {
  event.waitUntil(showPushedNotice(event));
});

async function openNoticePage(url) {
  let target = new URL(url || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  // Only windows this worker controls can be navigated; the app's open one is reused.
  const windows = await self.clients.matchAll({ type: "window" });
  const open = windows.find((client) => client.focused) || windows[0];
  if (open) {
    // Focus first, while the click still allows it, then go to the notice's page.
    const focused = await open.focus().catch(() => open);
    const navigated = await focused.navigate(target.href).catch(() => null);
    if (navigated) return navigated;
  }
  return self.clients.openWindow(target.href);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const opened = openNoticePage(event.notification.data && event.notification.data.url);
  event.waitUntil(opened);
});
