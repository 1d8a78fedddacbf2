// The technician's phone view of one ticket: arrive on site, check the unit's serial label (camera,
// hand scanner or typing), write the diagnosis, tick the parts used, add photos, resolve.
// Every change goes through the scanner's outbox (outbox.js): stored in IndexedDB with its
// Idempotency-Key first, sent now or when the network returns, applied once by the server.

import { newIdempotencyKey } from "./api.js";
import { Camera } from "./camera.js";
import * as outbox from "./outbox.js";
import { listenForWedge } from "./wedge.js";

const config = JSON.parse(document.getElementById("tech-config").textContent);
const T = config.texts;
const panel = document.querySelector('[data-testid="tech-panel"]');
const $ = (selector) => panel.querySelector(selector);
const MAX_SIDE = 1600; // photos are scaled down on the phone: enough to see a crack, small to queue
const mine = (item) => item.url.startsWith(`/api/v1/service/tickets/${config.ticket}/`);
let scanned = ""; // the label text last scanned or typed, sent with the resolve for the server to check

function say(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

function tell(text, tone = "") {
  const message = $('[data-testid="tech-message"]');
  message.textContent = text;
  message.dataset.tone = tone;
  message.hidden = !text;
}

// ---- the serial ----
export function serialFrom(text) {
  const match = /\/s\/sn\/([^/?#]+)\/?(?:[?#].*)?$/.exec(text.trim());
  try {
    return (match ? decodeURIComponent(match[1]) : text).trim();
  } catch {
    return text.trim();
  }
}

function checkSerial(text) {
  const input = $('[data-testid="scan-serial"]');
  const result = $('[data-testid="serial-result"]');
  if (!text.trim()) {
    result.textContent = "";
    delete result.dataset.ok;
    scanned = "";
    return;
  }
  const serial = serialFrom(text);
  input.value = serial;
  const ok = serial === config.serial;
  result.dataset.ok = String(ok);
  result.textContent = ok ? T.serialOk : say(T.serialWrong, { scanned: serial });
  scanned = ok ? text.trim() : "";
}

function bindSerial() {
  const input = $('[data-testid="scan-serial"]');
  input.addEventListener("change", () => checkSerial(input.value));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      checkSerial(input.value);
    }
  });
  listenForWedge((text) => checkSerial(text));
  const video = panel.querySelector("video");
  const toggle = $('[data-action="camera"]');
  const camera = new Camera(
    video,
    { decoder: config.decoder, wasm: config.wasm },
    (text) => {
      checkSerial(text);
      if (scanned) camera.stop();
    },
    () => {
      video.hidden = !camera.running;
      toggle.setAttribute("aria-pressed", String(camera.running));
    },
  );
  toggle.addEventListener("click", async () => {
    if (camera.running) return camera.stop();
    try {
      await camera.start();
    } catch (error) {
      tell(say(T.cameraDenied, { reason: error?.name || String(error) }), "error");
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && camera.running) camera.stop();
  });
}

// ---- what is sent ----
function chosenParts() {
  const parts = [];
  for (const row of panel.querySelectorAll(".part-row[data-sku]")) {
    if (row.querySelector('input[type="checkbox"]').checked) {
      parts.push({ sku: row.dataset.sku, qty: row.querySelector(".part-qty").value.trim() || "1" });
    }
  }
  const other = $('[data-testid="other-sku"]').value.trim();
  if (other) parts.push({ sku: other.toUpperCase(), qty: $('[data-testid="other-qty"]').value.trim() || "1" });
  return parts;
}

function clearParts() {
  for (const box of panel.querySelectorAll('.part-row input[type="checkbox"]')) box.checked = false;
  $('[data-testid="other-sku"]').value = "";
}

function workBody() {
  const point = $('[data-testid="part-point"]');
  return {
    diagnosis: $('[data-testid="diagnosis-input"]').value.trim(),
    parts: chosenParts(),
    service_point: point && point.value ? point.value : null,
    serial: scanned || null,
  };
}

async function queue(url, body, summary) {
  await outbox.add({ key: newIdempotencyKey(), url, body, summary: `${config.number} ${summary}` });
  await send();
}

// ---- sending and showing what happened ----
async function send() {
  const before = new Set((await outbox.all()).filter((i) => i.state === outbox.QUEUED && mine(i)).map((i) => i.key));
  const outcome = await outbox.flush(config.self, render);
  const answered = (await outbox.all()).filter((i) => before.has(i.key));
  const refused = answered.filter((i) => i.state === outbox.REFUSED);
  if (refused.length) {
    const last = refused[refused.length - 1];
    tell(`${T.refused}: ${last.error?.message || ""}`, "error");
    await Promise.all(refused.map((i) => outbox.dismiss(i.key)));
  } else if (answered.length && answered.every((i) => i.state === outbox.DONE)) {
    tell(T.sent);
    if (answered.some((i) => i.url === config.urls.resolve)) location.reload();
  } else if (outcome.stopped || before.size) {
    tell(T.queued, "queued");
  }
  await render();
}

async function render() {
  const waiting = (await outbox.all()).filter((i) => i.state === outbox.QUEUED && mine(i)).length;
  const count = $('[data-testid="outbox-count"]');
  count.hidden = waiting === 0;
  count.textContent = say(T.waiting, { n: waiting });
}

function showState(state) {
  panel.dataset.state = state;
  $('[data-action="arrive"]').hidden = state !== "assigned";
  const badge = document.querySelector('h1 [data-testid="ticket-state"]');
  if (badge) {
    badge.dataset.state = state;
    badge.textContent = state === "on_site" ? T.onSite : state === "resolved" ? T.resolved : badge.textContent;
  }
}

// ---- photos ----
async function shrink(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/jpeg", 0.85);
}

function bindActions() {
  $('[data-action="arrive"]').addEventListener("click", async () => {
    showState("on_site");
    await queue(config.urls.arrive, {}, T.onSite);
  });
  $('[data-action="save"]').addEventListener("click", async () => {
    const body = workBody();
    clearParts();
    await queue(config.urls.work, body, "diagnosis/parts");
  });
  $('[data-action="resolve"]').addEventListener("click", async () => {
    const body = workBody();
    if (!scanned) return tell(T.needSerial, "error");
    if (!body.diagnosis) return tell(T.needDiagnosis, "error");
    clearParts();
    showState("resolved");
    await queue(config.urls.resolve, body, T.resolved);
  });
  $('[data-action="photo"]').addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    const data = await shrink(file).catch(() => null);
    if (!data) return tell(T.refused, "error");
    await queue(config.urls.photos, { data, caption: "" }, T.photoAdded);
  });
}

bindSerial();
bindActions();
addEventListener("online", () => send());
send();
