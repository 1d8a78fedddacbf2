// "Notifications on this phone" (DESIGN §4): subscribes this browser or installed PWA to Web Push with
// the app's VAPID key and registers the subscription, so cards and changes arrive with the app
// closed; turning it off unsubscribes and forgets it. iPhone needs the app installed (iOS 16.4+).

import { apiFetch } from "./api.js";

const box = document.getElementById("push-toggle");

function show(state) {
  box.dataset.state = state; // unsupported | denied | off | on | busy
  for (const part of box.querySelectorAll("[data-when]")) part.hidden = !part.dataset.when.split(" ").includes(state);
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function registration() {
  return navigator.serviceWorker.ready;
}

async function current() {
  return (await registration()).pushManager.getSubscription();
}

async function turnOn() {
  show("busy");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return show("denied");
  const { public_key: key } = await apiFetch("/api/v1/push/key");
  const subscription = await (await registration()).pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(key),
  });
  await apiFetch("/api/v1/push/subscriptions", { method: "POST", body: subscription.toJSON() });
  show("on");
}

async function turnOff() {
  show("busy");
  const subscription = await current();
  if (subscription) {
    await apiFetch("/api/v1/push/subscriptions", { method: "DELETE", body: { endpoint: subscription.endpoint } });
    await subscription.unsubscribe();
  }
  show("off");
}

async function start() {
  if (!box) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return show("unsupported");
  if (Notification.permission === "denied") return show("denied");
  show((await current()) ? "on" : "off");
  box.querySelector("[data-action=push-on]").addEventListener("click", () => turnOn().catch(() => show("off")));
  box.querySelector("[data-action=push-off]").addEventListener("click", () => turnOff().catch(() => show("on")));
}

start();
