// The shell of every page: registers the service worker, shows whether the phone is offline or
// looking at a saved copy, and offers a new version when one has been downloaded.
// Every text shown here lives in base.html (translated there); this file only shows and hides it.

const body = document.body;
const savedCopy = body.hasAttribute("data-offline-copy"); // set by sw.js on pages served from its cache
const offlinePage = body.hasAttribute("data-offline-page"); // the fallback, made whenever it was saved
const SHELL_KEY = "oh.shell"; // the language and sign-in state the saved offline page was made with
let updateRequested = false;

function showConnection() {
  const banner = document.getElementById("offline-banner");
  if (!banner) return;
  const state = !navigator.onLine ? "offline" : savedCopy ? "saved-copy" : "";
  banner.hidden = state === "";
  banner.dataset.state = state;
  for (const part of banner.querySelectorAll("[data-when]")) part.hidden = part.dataset.when !== state;
}

function bindReloadButtons() {
  for (const button of document.querySelectorAll('[data-action="reload"]')) {
    button.addEventListener("click", () => location.reload());
  }
}

function offerUpdate(worker) {
  const bar = document.getElementById("update-bar");
  if (!bar) return;
  bar.hidden = false;
  bar.querySelector('[data-action="apply-update"]').onclick = () => {
    updateRequested = true;
    worker.postMessage({ type: "skip-waiting" });
  };
}

function tellWorker(message) {
  navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message));
}

function readShellKey() {
  try {
    return localStorage.getItem(SHELL_KEY);
  } catch {
    return null; // storage blocked: refresh every time, which is merely wasteful
  }
}

function keepShellCurrent() {
  if (savedCopy || offlinePage || !navigator.onLine) return; // a cached page's state is not the present
  const signedIn = body.dataset.signedIn === "1";
  // A shared phone must not show the last user's pages to the next one.
  if (!signedIn) tellWorker({ type: "forget-pages" });
  const key = `${document.documentElement.lang}|${signedIn}`;
  if (readShellKey() !== key) {
    tellWorker({ type: "refresh-offline" });
    try {
      localStorage.setItem(SHELL_KEY, key);
    } catch {
      /* see readShellKey */
    }
  }
}

async function registerWorker() {
  // Service workers need https or localhost; on plain http the pages still work, only not offline.
  if (!("serviceWorker" in navigator) || !body.dataset.sw) return;
  const registration = await navigator.serviceWorker.register(body.dataset.sw);
  const container = navigator.serviceWorker;
  if (registration.waiting && container.controller) offerUpdate(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && container.controller) offerUpdate(worker);
    });
  });
  container.addEventListener("controllerchange", () => {
    if (updateRequested) location.reload();
  });
  container.addEventListener("message", (event) => {
    // A tapped notification's page, for a window the worker could not navigate (sw.js)
    const url = event.data && event.data.type === "open" ? new URL(event.data.url, location.href) : null;
    if (url && url.origin === location.origin) location.assign(url.href);
  });
  // An installed app may stay open for a whole shift: look for a new version when it comes back.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
  keepShellCurrent();
}

async function hasNativeQrReader() {
  if (!("BarcodeDetector" in globalThis)) return false;
  const formats = await globalThis.BarcodeDetector.getSupportedFormats().catch(() => []);
  return formats.includes("qr_code");
}

async function keepReaderOffline() {
  // Phones without a built-in BarcodeDetector (iPhone Safari, desktop) read codes with the vendored
  // WebAssembly reader. For users who scan, the worker saves it once they are signed in, so the camera
  // works offline the first time too; phones with a built-in reader never download it.
  const files = body.dataset.readerFiles;
  if (!files || savedCopy || !navigator.onLine || (await hasNativeQrReader())) return;
  tellWorker({ type: "cache-files", urls: JSON.parse(files) });
}

addEventListener("online", showConnection);
addEventListener("offline", showConnection);
showConnection();
bindReloadButtons();
registerWorker()
  .then(() => {
    // After the page has loaded: the reader's 1 MB never competes with the page itself.
    if (document.readyState === "complete") keepReaderOffline();
    else addEventListener("load", keepReaderOffline, { once: true });
  })
  .catch((error) => console.warn("service worker not registered:", error));
