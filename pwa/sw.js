/* Order Helper service worker: keeps the app shell on the phone so pages open without a network.
 *
 * The server prepends `self.SHELL = {version, precache, offline, static, api}` (blueprints/pwa.py);
 * the version is a hash of the shell files, so any change to them makes a new worker.
 *
 * Strategies:
 * - page navigations: network first; a good answer is saved, and without a network the saved copy
 *   (or the offline page) is shown instead;
 * - files under /pwa/: cache first, from this version's cache (filled fresh on install);
 * - /api/, POSTs and everything else: not touched, straight to the network, never stored.
 * Both caches are per version and dropped with it: a saved page links its own version's files.
 *
 * Updates: a new worker installs in the background and then WAITS. The page shows "a new version is
 * available" and activates it only when the user taps reload (message "skip-waiting"). Taking over
 * on its own would reload the page under a worker who is half-way through a form on the shop floor.
 * The very first install has nobody to wait for and takes control at once (clients.claim).
 */
/* global SHELL */
"use strict";

const SHELL_CACHE = `oh-shell-${SHELL.version}`;
const PAGES_CACHE = `oh-pages-${SHELL.version}`;
const MAX_PAGES = 40; // saved pages per phone; the oldest go first
// Pages carry "Vary: Cookie"; a saved copy belongs to this phone's user whatever the cookie is now
// (the copies are dropped on sign-out), so lookups ignore Vary.
const PAGE_MATCH = { cacheName: PAGES_CACHE, ignoreVary: true };

self.addEventListener("install", (event) => {
  // cache: "reload" skips the HTTP cache, so a new version never precaches an old file.
  const requests = SHELL.precache.map((url) => new Request(url, { cache: "reload" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, PAGES_CACHE]);
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith("oh-") && !keep.has(n)).map((n) => caches.delete(n)));
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") self.skipWaiting();
  else if (type === "forget-pages") event.waitUntil(caches.delete(PAGES_CACHE));
  else if (type === "refresh-offline") event.waitUntil(refreshOfflinePage());
  else if (type === "save-page") event.waitUntil(saveOpenPage(event.data.url));
  else if (type === "cache-files") event.waitUntil(cacheFiles(event.data.urls || []));
});

// Web Push (DESIGN §4): a card, a change or a request arrives with the app closed; tapping the
// notification opens its page (an open window of it is focused instead of opening another).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { title: event.data ? event.data.text() : "" };
  }
  const url = new URL(message.url || "/", self.location.origin).href;
  event.waitUntil(
    self.registration.showNotification(message.title || "Order Helper", {
      body: message.body || "",
      data: { url },
      tag: url, // a newer message about the same page replaces the older one
      icon: "/pwa/icons/icon-192.png",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || new URL("/", self.location.origin).href;
  event.waitUntil(openFromNotification(url));
});

// An open window of the app is pointed at the page and brought forward rather than opening another:
// a phone keeps one app window, and browsers refuse openWindow without the tap's user activation.
async function openFromNotification(url) {
  const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const shown = open.find((client) => client.url === url) || (await pointAt(open, url));
  if (!shown) return self.clients.openWindow(url);
  try {
    return await shown.focus();
  } catch {
    return shown; // focusing needs the tap's user activation; the page is at the card all the same
  }
}

async function pointAt(windows, url) {
  const [client] = windows;
  if (!client) return null;
  try {
    return (await client.navigate(url)) || client; // null once the window has left the app's origin
  } catch {
    // Only a window this worker controls can be navigated; one opened before it took over (the very
    // first visit) is asked to go there itself (app.js).
    client.postMessage({ type: "open", url });
    return client;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith(SHELL.api)) {
    return; // the network answers, and nothing is stored
  }
  if (request.mode === "navigate") event.respondWith(networkFirstPage(event));
  else if (url.pathname.startsWith(SHELL.static)) event.respondWith(cacheFirstAsset(request));
});

async function networkFirstPage(event) {
  const request = event.request;
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    if (response.ok && response.type === "basic" && isHtml(response)) {
      event.waitUntil(savePage(request, response.clone()));
    }
    return response;
  } catch (networkError) {
    const saved = await caches.match(request, PAGE_MATCH);
    if (saved) return markOfflineCopy(saved);
    const shell = await caches.match(SHELL.offline, { cacheName: SHELL_CACHE, ignoreVary: true });
    if (shell) return shell;
    throw networkError;
  }
}

async function cacheFirstAsset(request) {
  // This cache belongs to one version, so a file under any ?v= is the right file for it.
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request, { cache: "no-cache" });
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

async function savePage(request, response) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.delete(request, { ignoreVary: true }); // re-added at the end: the oldest goes first
  await cache.put(request, response);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((key) => cache.delete(key)));
}

async function saveOpenPage(url) {
  // A page that must open offline (the scanner) asks for this when the worker took control after the
  // page had loaded: its first load went past the worker, so no copy was saved then.
  const target = new URL(url, self.location.href);
  if (target.origin !== self.location.origin) return;
  const request = new Request(target.href, { credentials: "same-origin" });
  const response = await fetch(request);
  if (response.ok && response.type === "basic" && !response.redirected && isHtml(response)) {
    await savePage(request, response);
  }
}

async function cacheFiles(urls) {
  // Files a page asks to have offline before their first use (the scanner's code reader, for users
  // who scan): kept in this version's cache like the shell, fetched only if not there yet.
  const cache = await caches.open(SHELL_CACHE);
  for (const url of urls) {
    const target = new URL(url, self.location.href);
    if (target.origin !== self.location.origin || !target.pathname.startsWith(SHELL.static)) continue;
    if (await cache.match(target.href, { ignoreSearch: true, ignoreVary: true })) continue;
    const response = await fetch(target.href, { cache: "no-cache" });
    if (response.ok && response.type === "basic") await cache.put(target.href, response);
  }
}

async function markOfflineCopy(response) {
  // The page cannot see where its HTML came from; this attribute tells app.js it is a saved copy.
  const html = (await response.text()).replace("<body", "<body data-offline-copy");
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: response.status, headers });
}

async function refreshOfflinePage() {
  // The offline page carries the language and the signed-in state of the moment it was saved.
  const cache = await caches.open(SHELL_CACHE);
  const response = await fetch(SHELL.offline, { cache: "no-store" });
  if (response.ok) await cache.put(SHELL.offline, response);
}
