// The dashboard page (DESIGN §9): draws the four modules from the data in the page, then keeps them
// current from the server's `dashboard_update` broadcasts (computed once per change for every screen,
// see realtime/dashboard.py). After each (re)connect it reads the modules once, for what it missed.

import { apiFetch } from "./api.js";
import { live } from "./live.js";
import * as render from "./dashboard_render.js";

const REFRESH_MS = 10 * 60 * 1000; // "days left" turns over at the plant's midnight with no change at all

const root = document.querySelector('[data-testid="dashboard"]');
const labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
const ordersUrl = root.dataset.ordersUrl;
const status = root.querySelector('[data-testid="live-status"]');

const DRAW = {
  order_pool: (data) => render.orderPool(data, labels, ordersUrl),
  countdown: (data) => render.countdown(data, labels, ordersUrl),
  heatmap: (data) => render.heatmap(data, labels),
  kitting: (data) => render.kitting(data, labels),
};

function drawAll(modules) {
  for (const [name, draw] of Object.entries(DRAW)) {
    if (!modules[name]) continue;
    const section = root.querySelector(`[data-module="${name}"] [data-part="body"]`);
    section.replaceChildren(...draw(modules[name]));
  }
  const time = new Date().toLocaleTimeString(document.documentElement.lang || undefined);
  status.querySelector('[data-part="time"]').textContent = labels.updated.replace("{time}", time);
  root.dataset.updates = String(Number(root.dataset.updates || 0) + 1);
}

const ENDPOINTS = { order_pool: "order-pool", countdown: "countdown", heatmap: "heatmap", kitting: "kitting" };

async function reread() {
  try {
    const names = Object.keys(ENDPOINTS);
    const answers = await Promise.all(names.map((name) => apiFetch(`${root.dataset.api}/${ENDPOINTS[name]}`)));
    drawAll(Object.fromEntries(names.map((name, i) => [name, answers[i]])));
  } catch {
    // offline: the next reconnect reads again
  }
}

function showStatus(state) {
  const shown = state === "online" ? "live" : state;
  status.dataset.state = shown;
  status.querySelector('[data-part="state"]').textContent = labels[shown] || labels.connecting;
}

drawAll(JSON.parse(document.getElementById("dashboard-data").textContent));
try {
  const connection = live();
  connection.onStatus(showStatus);
  connection.on("dashboard_update", drawAll);
  connection.onConnect(async () => {
    await connection.call("dashboard_join").catch(() => null);
    await reread(); // whatever changed between drawing the page (or losing the line) and joining
  });
} catch (error) {
  console.warn("dashboard: no live connection", error);
  showStatus("offline");
}
setInterval(reread, REFRESH_MS);
