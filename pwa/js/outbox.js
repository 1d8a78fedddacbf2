// The scanner's outbox: every confirmed scan is written to IndexedDB first, with the Idempotency-Key
// made when it was captured, and only then sent. It is sent again (same key) until the server has
// answered it, so a scan survives a dead network, a reload or a closed app, and the server applies
// it exactly once (a replay answers with the first result).
//
// The page flushes it on `online`, on opening and after each new scan: iPhone Safari has no
// Background Sync, so nothing here relies on the service worker. Outcomes per item:
//   queued   not answered yet (offline, server busy, signed out): sent on the next flush
//   done     applied; the server's result is kept for the list (the last KEEP_DONE only)
//   refused  the server said no (stock gone, outside the fence ...): kept, with the server's message
//            in the user's language, until the worker dismisses it. Nothing is dropped silently.

import { ApiError, apiFetch } from "./api.js";

const DB_NAME = "oh-scanner";
const STORE = "outbox";
const KEEP_DONE = 20;
const RETRY_MS = 3000; // a 409 idempotency_in_progress or a 5xx: the first attempt may still land
const FLUSH_LOCK = "oh-outbox-flush"; // two open tabs must not send the same item at once

export const QUEUED = "queued";
export const DONE = "done";
export const REFUSED = "refused";

let dbPromise = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function database() {
  if (!dbPromise) {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    dbPromise = request(opening);
  }
  return dbPromise;
}

async function store(mode) {
  return (await database()).transaction(STORE, mode).objectStore(STORE);
}

async function put(item) {
  const objects = await store("readwrite");
  await request(objects.put(item));
  return item;
}

/** Every item, oldest first. */
export async function all() {
  const items = await request((await store("readonly")).getAll());
  return items.sort((a, b) => a.created - b.created);
}

/**
 * Stores a scan to send: `url` and `body` of the API call, `summary` (what the list shows), the `key`
 * made when the scan was captured and the `user` who scanned it (a shared phone sends each user's
 * scans only under that user's own session). Resolves once it is safely in IndexedDB.
 */
export function add({ key, url, body, summary, user }) {
  return put({ key, url, body, summary, user, created: Date.now(), state: QUEUED, attempts: 0 });
}

/** Removes a refused (or done) item from the list; a queued one stays until it is answered. */
export async function dismiss(key) {
  const objects = await store("readwrite");
  const item = await request(objects.get(key));
  if (item && item.state !== QUEUED) await request(objects.delete(key));
}

async function pruneDone() {
  const done = (await all()).filter((item) => item.state === DONE);
  const objects = await store("readwrite");
  await Promise.all(done.slice(0, Math.max(0, done.length - KEEP_DONE)).map((i) => request(objects.delete(i.key))));
}

async function freshCsrfToken(pageUrl) {
  // A page opened from the service worker's copy carries the token of the day it was saved.
  const response = await fetch(pageUrl, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok || response.redirected) return false;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const token = page.querySelector('meta[name="csrf-token"]')?.content;
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (!token || !meta) return false;
  meta.content = token;
  return true;
}

/** One attempt at one item: "sent" (answered: done or refused), "later" (retry) or "stop". */
async function send(item, pageUrl) {
  item.attempts += 1;
  try {
    item.result = await apiFetch(item.url, { method: "POST", body: item.body, idempotencyKey: item.key });
    item.state = DONE;
    item.error = null;
    await put(item);
    return "sent";
  } catch (error) {
    if (!(error instanceof ApiError)) return "stop"; // no network: everything waits
    if (error.code === "csrf_failed" && item.attempts < 3 && (await freshCsrfToken(pageUrl))) {
      return send(item, pageUrl);
    }
    item.error = { status: error.status, code: error.code, message: error.message };
    if (error.status === 401) {
      await put(item);
      return "stop"; // signed out: the queue waits for the next sign-in
    }
    if (error.status === 409 && error.code === "idempotency_in_progress") return later(item);
    if (error.status >= 500 || error.status === 429 || error.code === "csrf_failed") return later(item);
    item.state = REFUSED;
    await put(item);
    return "sent";
  }
}

async function later(item) {
  item.retryAt = Date.now() + RETRY_MS;
  await put(item);
  return "later";
}

async function flushNow(pageUrl, onChange, user) {
  let retry = false;
  for (const item of await all()) {
    if (item.state !== QUEUED || (item.user ?? null) !== (user ?? null)) continue;
    const outcome = await send(item, pageUrl);
    onChange?.();
    if (outcome === "stop") return { stopped: true, retry: false };
    if (outcome === "later") retry = true;
  }
  await pruneDone();
  return { stopped: false, retry };
}

let flushing = null;
let flushAgain = false;
let retryTimer = null;

/**
 * Sends every queued item of `user` (the items stored with that user; without one, those stored
 * without a user), oldest first. Resolves to {stopped, retry}: `stopped` when the network or
 * the session is gone (the rest waits), `retry` when an item asked to be tried again, which this
 * module then does by itself after RETRY_MS. `onChange` runs after each answered item. A call while a
 * flush runs makes that flush go round once more, so a scan added meanwhile is not left behind.
 */
export function flush(pageUrl, onChange, { user } = {}) {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  const run = () => flushNow(pageUrl, onChange, user);
  flushing = (async () => {
    let outcome;
    do {
      flushAgain = false;
      outcome = await (navigator.locks ? navigator.locks.request(FLUSH_LOCK, run) : run());
    } while (flushAgain && !outcome.stopped);
    clearTimeout(retryTimer);
    if (outcome.retry) retryTimer = setTimeout(() => flush(pageUrl, onChange, { user }), RETRY_MS);
    return outcome;
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}
