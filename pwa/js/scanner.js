// The scanner screen (templates/scanner/scan.html): scan a location, scan an item (or choose the
// transfer), set the quantity, confirm. Codes come from the camera, a hand scanner (keyboard wedge),
// a photo decoded on the server, or typing. Confirmed scans go to the outbox (outbox.js) with the GPS
// fix of the moment, and are sent from there; the screen stays on the location for the next item.

import { ApiError, apiFetch, newIdempotencyKey } from "./api.js";
import { Camera } from "./camera.js";
import { feedback } from "./feedback.js";
import * as outbox from "./outbox.js";
import { showOutbox } from "./outbox_view.js";
import {
  LOCATION_TOKEN,
  learnLocationName,
  locationName as nameOf,
  readLabel,
  verifiedName,
} from "./scan_labels.js";
import { listenForWedge } from "./wedge.js";

const config = JSON.parse(document.getElementById("scanner-config").textContent);
const T = config.texts;
const root = document.querySelector('[data-testid="scanner"]');
const $ = (selector) => root.querySelector(selector);
const HERE_KEY = "oh.scanner.here"; // the location being worked in, kept over a reload (this tab only)
const QTY = /^\d+(\.\d{1,3})?$/;
const RESEND_MS = 30_000;

const state = { location: null, item: null, transfer: null, key: null, to: null };
let fix = null;
let gpsDenied = false;

function say(template, values = {}) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

function show(text, tone = "ok", link = null) {
  const message = $('[data-testid="scan-message"]');
  message.hidden = false;
  message.dataset.tone = tone;
  message.textContent = text;
  if (link) {
    const open = document.createElement("a");
    open.href = link;
    open.className = "button";
    open.textContent = T.open;
    message.append(" ", open);
  }
}

function refuse(text, link = null) {
  feedback(false);
  show(text, "error", link);
}

// ---- what was scanned ----
function kind() {
  return root.querySelector('input[name="kind"]:checked')?.value || "receipt";
}

// The transfer steps that work on a transfer chosen from a list, and the state each lists.
const LIST_STATE = { transfer_pick: "requested", transfer_dispatch: "picked", transfer_receive: "in_transit" };

/** A step on an existing transfer (chosen from the list), not on a scanned item. */
function isTransfer() {
  return kind() in LIST_STATE;
}

const SHIPMENT = "shipment";
const ORDER_KINDS = new Set(["transfer_request", SHIPMENT]); // asks for the order it serves

function needsLocation() {
  return kind() !== "transfer_dispatch"; // the truck leaves the yard: no shelf to scan
}

function setLocation(label, { quiet = false } = {}) {
  state.location = label;
  remember(HERE_KEY, { text: label.text });
  showLocation();
  $('[data-step="location"]').dataset.done = "1";
  if (!verifiedName(label)) checkLocation(label);
  if (quiet) return;
  feedback(true);
  show(say(T.location, { name: nameOf(label) }));
  renderItem();
}

/** The location's code at once (printed on the label), marked until the server has checked it. */
function showLocation() {
  const value = $('[data-testid="location-value"]');
  const verified = Boolean(verifiedName(state.location));
  value.textContent = verified ? nameOf(state.location) : say(T.notVerified, { name: nameOf(state.location) });
  $('[data-step="location"]').dataset.verified = verified ? "1" : "";
}

/** Asks the server about the label now, so a hand-made one is refused at the scan, not at Confirm.
 * Offline the location stays "not yet verified"; the move itself is checked again when it is sent.
 * `slot`: "location" (where the worker stands) or "to" (where a relocation goes). */
async function checkLocation(label, slot = "location") {
  let answer;
  try {
    answer = await apiFetch(config.urls.checkLocation, { method: "POST", body: { location_label: label.text } });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) return;
    if (state[slot]?.token !== label.token) return;
    if (slot === "location") clearLocation();
    else setTarget(null);
    return refuse(error.message);
  }
  learnLocationName(label.text, answer.location);
  if (state.location?.token === label.token) showLocation();
  if (state.to?.token === label.token) renderTarget();
}

/** Asks the server whether the container label's quantity was printed by it; a hand-written one is
 * taken back out of the field. Offline the printed quantity stays: the worker sees it beside Confirm. */
async function checkContainer(label) {
  try {
    await apiFetch(config.urls.checkContainer, { method: "POST", body: { label: label.text } });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) return;
    if (state.item?.sku !== label.segments[0] || state.item?.lot !== label.segments[1]) return;
    setQty("");
    qtyInput().setAttribute("aria-invalid", "true");
    refuse(error.message);
  }
}

/** An order label (/s/wo/<number>: a work order's or a sales order's number) names the order served. */
function setOrder(number) {
  $('[data-testid="order-ref"]').value = number;
  feedback(true);
  show(number);
}

/** The order label of a pick list scanned outside Ship mode: Ship mode, for that order. */
function shipAgainst(number) {
  const ship = root.querySelector(`input[name="kind"][value="${SHIPMENT}"]`);
  if (!ship) return refuse(T.notForMoves);
  ship.checked = true;
  ship.dispatchEvent(new Event("change"));
  setOrder(number);
  show(say(T.shipFor, { order: number }));
}

function setTarget(label) {
  state.to = label;
  renderTarget();
  if (!label) return;
  if (!verifiedName(label)) checkLocation(label, "to");
  feedback(true);
  show(say(T.toLocation, { name: nameOf(label) }));
}

function renderTarget() {
  const step = $('[data-testid="step-to"]');
  step.hidden = kind() !== "relocate";
  step.dataset.done = state.to ? "1" : "";
  const name = state.to ? nameOf(state.to) : "";
  const shown = state.to && !verifiedName(state.to) ? say(T.notVerified, { name }) : name;
  $('[data-testid="to-value"]').textContent = state.to ? shown : T.toNeeded;
}

function remember(key, value) {
  try {
    if (value) sessionStorage.setItem(key, JSON.stringify(value));
    else sessionStorage.removeItem(key);
  } catch {
    /* storage blocked: a reload asks for the location again */
  }
}

function restoreLocation() {
  try {
    const here = JSON.parse(sessionStorage.getItem(HERE_KEY) || "null");
    const label = here?.text ? labelFromScan(here.text) : null;
    if (label?.kind === "loc") setLocation(label, { quiet: true });
  } catch {
    /* nothing kept */
  }
}

/** The unit a SKU is weighed in (kg…), null for one counted in pieces. */
function weighedUnit(sku) {
  return Object.hasOwn(config.weighed, sku) ? config.weighed[sku] : null;
}

/** What the quantity field holds after a scan: domain/stock/starting_quantity.py, the same rule. */
function startingQty(sku, packed) {
  if (kind() === "count") return ""; // a count is typed, never assumed
  if (packed) return String(Number(packed)); // a container label's printed quantity
  return weighedUnit(sku) ? "" : "1"; // a weighed item has no default: the worker enters it
}

/** `packed`: the quantity a container label carries, else undefined. */
function setItem(sku, lot = "", packed = undefined) {
  const same = state.item && state.item.sku === sku && state.item.lot === lot;
  if (same) {
    // Scanning the same box again counts it; a container adds what it holds; a weight is entered.
    if (packed) stepQty(Number(packed));
    else if (!weighedUnit(sku)) stepQty(1);
  } else {
    state.item = { sku, lot };
    state.key = newIdempotencyKey(); // made when the scan is captured; sent with every retry
    setQty(startingQty(sku, packed));
  }
  feedback(true);
  if (isTransfer()) chooseTransferFor(sku, lot);
  else if (!same) learnUsual(state.item);
  renderItem();
  show(itemText(), "ok");
}

/** What a move of this SKU usually is, so a quantity far above it is asked about once more at Confirm.
 * Offline nothing is known and nothing asked (the server still checks stock and room). */
async function learnUsual(item) {
  state.usual = null;
  state.unusualAsked = null;
  let usual;
  try {
    usual = await apiFetch(`${config.urls.usualQuantity}?sku=${encodeURIComponent(item.sku)}`);
  } catch {
    return;
  }
  if (state.item === item) state.usual = usual;
}

/** True when the quantity is far above the usual and the worker has not yet confirmed it once more. */
function unusual(qty) {
  const above = state.usual?.ask_above;
  if (!above || isTransfer() || Number(qty) <= Number(above) || state.unusualAsked === qty) return false;
  state.unusualAsked = qty;
  return true;
}

function itemText() {
  if (!state.item) return "";
  return state.item.lot ? `${state.item.sku} · ${state.item.lot}` : state.item.sku;
}

function renderItem() {
  const value = $('[data-testid="item-value"]');
  const step = $('[data-step="item"]');
  if (isTransfer()) {
    value.textContent = state.transfer ? transferText(state.transfer) : T.transferNeeded;
    step.dataset.done = state.transfer ? "1" : "";
  } else {
    value.textContent = state.item ? itemText() : T.itemNeeded;
    step.dataset.done = state.item ? "1" : "";
  }
}

/** Every code read, from any source. `typed`: a person typed it, so a plain code is a SKU code. */
function onCode(text, { typed = false } = {}) {
  const label = labelFromScan(text);
  if (label === null) {
    if (typed && config.canMove && /^[\w./-]{1,64}$/.test(text.trim())) return setItem(text.trim());
    return refuse(say(T.foreign, { text: text.slice(0, 80) }));
  }
  if (label.kind === "invalid") return refuse(T.invalidLabel);
  if (!config.canMove) {
    feedback(true);
    location.assign(label.path); // the label's own page on this server, as a phone camera would open
    return;
  }
  // Moving between locations: once the item is scanned, the next location label is where it goes.
  if (label.kind === "loc" && kind() === "relocate" && state.location && state.item) return setTarget(label);
  if (label.kind === "loc") return setLocation(label);
  if (label.kind === "wo" && ORDER_KINDS.has(kind())) return setOrder(label.segments[0]);
  if (label.kind === "wo") return shipAgainst(label.segments[0]); // an order's label: its pick list
  if (label.kind === "sku") return setItem(label.segments[0]);
  if (label.kind === "lot") {
    setItem(label.segments[0], label.segments[1], label.qty);
    if (label.qty) checkContainer(label);
    return;
  }
  return refuse(T.notForMoves, label.path);
}

// ---- quantity: 1 by default, +/- and the phone's number pad ----
function qtyInput() {
  return document.querySelector('[data-testid="qty"]'); // in the bar beside Confirm, outside the screen's root
}

function setQty(value) {
  qtyInput().value = value;
  qtyInput().removeAttribute("aria-invalid");
  if (config.canMove) renderExtras();
}

function stepQty(delta) {
  const current = Number.parseFloat(qtyInput().value) || 0;
  const next = Math.max(1, Math.round((current + delta) * 1000) / 1000);
  setQty(String(next));
}

function readQty() {
  const text = qtyInput().value.trim().replace(",", ".");
  const least = kind() === "count" ? 0 : Number.MIN_VALUE; // a count of an empty shelf is 0
  return QTY.test(text) && Number.parseFloat(text) >= least ? text : null;
}

/** Why the quantity cannot be taken, naming the field; an empty one for a weighed item says its unit. */
function qtyProblem() {
  if (kind() === "count") return T.countNeeded;
  const unit = state.item ? weighedUnit(state.item.sku) : null;
  if (unit && !qtyInput().value.trim()) return say(T.qtyWeighed, { unit });
  return qtyInput().value.trim() ? T.qtyInvalid : T.qtyRequired;
}

// ---- GPS: watched while the page is open, the latest fix goes with each scan ----
function watchGps() {
  const line = $('[data-testid="gps"]');
  if (!navigator.geolocation) {
    gpsDenied = true;
    line.dataset.state = "denied";
    line.textContent = T.gpsDenied;
    return;
  }
  navigator.geolocation.watchPosition(
    (position) => {
      fix = position;
      gpsDenied = false;
      line.dataset.state = position.coords.accuracy <= 30 ? "good" : "weak";
      line.textContent = say(T.gpsFix, { m: Math.round(position.coords.accuracy) });
    },
    (error) => {
      if (error.code !== error.PERMISSION_DENIED) return; // a timeout: the watch goes on
      gpsDenied = true;
      line.dataset.state = "denied";
      line.textContent = T.gpsDenied;
    },
    { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 },
  );
}

async function currentFix(waitMs = 8000) {
  const until = Date.now() + waitMs;
  while (!fix && !gpsDenied && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  if (!fix) return null;
  const { latitude, longitude, accuracy } = fix.coords;
  const at = new Date(fix.timestamp).toISOString();
  // confirmed_at: the server measures the fix's age at Confirm, so a scan sent late from the outbox counts.
  return { lat: latitude, lon: longitude, accuracy, at, confirmed_at: new Date().toISOString() };
}

// ---- transfers: pick at the source, receive at the target ----
function transferState() {
  return LIST_STATE[kind()];
}

function sentQty(t) {
  return kind() === "transfer_pick" ? t.qty : t.picked_qty || t.qty;
}

function transferText(t) {
  const qty = sentQty(t);
  return `${t.number} · ${t.sku}${t.lot ? ` · ${t.lot}` : ""} · ${Number(qty)} · ${t.from_warehouse}→${t.to_warehouse}`;
}

let transfers = [];

async function loadTransfers() {
  const key = `oh.scanner.transfers.${transferState()}`;
  try {
    // The newest 500 of this state: a warehouse has far fewer open at once.
    transfers = (await apiFetch(`${config.urls.transfers}?state=${transferState()}&limit=500`)).items;
    localStorage.setItem(key, JSON.stringify(transfers));
  } catch {
    transfers = JSON.parse(localStorage.getItem(key) || "[]");
    show(T.transfersOffline, "warn");
  }
  // An item scanned while the list was on its way picks its transfer now.
  if (state.item && !state.transfer) chooseTransferFor(state.item.sku, state.item.lot);
  else renderTransfers();
}

function renderTransfers() {
  const box = $('[data-testid="transfers"]');
  const list = box.querySelector(".transfer-list");
  box.hidden = !isTransfer();
  list.replaceChildren();
  const shown = state.item ? transfers.filter((t) => t.sku === state.item.sku) : transfers;
  if (shown.length === 0) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = T.transfersNone;
    list.append(empty);
  }
  for (const transfer of shown) {
    const row = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "transfer";
    button.dataset.transfer = transfer.id;
    button.setAttribute("aria-pressed", String(state.transfer?.id === transfer.id));
    button.textContent = transferText(transfer);
    button.addEventListener("click", () => chooseTransfer(transfer));
    row.append(button);
    list.append(row);
  }
}

function chooseTransfer(transfer) {
  state.transfer = transfer;
  state.key = newIdempotencyKey();
  setQty(String(Number(sentQty(transfer))));
  renderTransfers();
  renderItem();
}

// ---- what each kind asks for besides location, item and quantity ----
function renderExtras() {
  $('[data-testid="transfer-request"]').hidden = kind() !== "transfer_request";
  $('[data-testid="count-reason-step"]').hidden = kind() !== "count";
  const orderStep = $('[data-testid="order-step"]');
  orderStep.hidden = !ORDER_KINDS.has(kind());
  $('[data-testid="order-label"]').textContent = kind() === "shipment" ? T.shipmentOrder : T.transferOrder;
  renderTarget();
  const box = $('[data-testid="discrepancy"]');
  const differs = kind() === "transfer_receive" && state.transfer && readQty() !== null &&
    Number(readQty()) !== Number(sentQty(state.transfer));
  box.hidden = !differs;
  if (differs) {
    box.querySelector("label").textContent = say(T.discrepancy, { sent: Number(sentQty(state.transfer)) });
  }
}

function discrepancyReason() {
  const box = $('[data-testid="discrepancy"]');
  return box.hidden ? "" : $('[data-testid="discrepancy-reason"]').value.trim();
}

function chooseTransferFor(sku, lot) {
  const matches = transfers.filter((t) => t.sku === sku && (!lot || t.lot === lot));
  if (matches.length === 1) chooseTransfer(matches[0]);
  else renderTransfers();
}

// ---- confirm: into the outbox, then sent ----
function kindLabel() {
  return root.querySelector('input[name="kind"]:checked')?.nextElementSibling?.textContent || kind();
}

function locationName() {
  return nameOf(state.location);
}

function labelFromScan(text) {
  return readLabel(text, config.labelBases);
}

/** The API call a confirmed scan makes, or a refusal text when something is missing. */
function entryFor(qty, gps) {
  const here = state.location ? { location_label: state.location.text } : {};
  const where = state.location ? ` @ ${locationName()}` : "";
  const base = `${config.urls.transfers}/${state.transfer?.id}`;
  switch (kind()) {
    case "transfer_request": {
      const orderRef = $('[data-testid="order-ref"]').value.trim();
      const target = $('[data-testid="to-warehouse"]').value;
      if (!orderRef) return T.orderNeeded;
      if (!target) return T.targetNeeded;
      const body = { order_ref: orderRef, sku: state.item.sku, lot: state.item.lot, qty, to_warehouse: target, gps, ...here };
      return { url: config.urls.transfers, body, summary: `${kindLabel()} ${itemText()} ×${qty}${where} → ${target}` };
    }
    case "count": {
      const reason = $('[data-testid="count-reason"]').value.trim();
      const body = { sku: state.item.sku, lot: state.item.lot, counted: qty, reason, gps, ...here };
      return { url: config.urls.counts, body, summary: `${kindLabel()} ${itemText()} = ${qty}${where}` };
    }
    case "shipment": {
      const orderRef = $('[data-testid="order-ref"]').value.trim();
      if (!orderRef) return T.shipOrderNeeded;
      const body = { kind: "shipment", sku: state.item.sku, lot: state.item.lot, qty, ref: orderRef, gps, ...here };
      return { url: config.urls.moves, body, summary: `${kindLabel()} ${itemText()} ×${qty} · ${orderRef}${where}` };
    }
    case "relocate": {
      if (!state.to) return T.toNeeded;
      const body = { sku: state.item.sku, lot: state.item.lot, qty, from_label: state.location.text, to_label: state.to.text, gps };
      return { url: config.urls.relocations, body, summary: `${kindLabel()} ${itemText()} ×${qty}${where} → ${nameOf(state.to)}` };
    }
    case "transfer_pick":
      return { url: `${base}/pick`, body: { ...here, qty, gps }, summary: `${kindLabel()} ${state.transfer.number} ×${qty}${where}` };
    case "transfer_dispatch":
      return { url: `${base}/dispatch`, body: { gps }, summary: `${kindLabel()} ${state.transfer.number}` };
    case "transfer_receive": {
      const differs = !$('[data-testid="discrepancy"]').hidden;
      if (differs && !discrepancyReason()) return T.reasonNeeded;
      const body = { ...here, qty, gps, note: discrepancyReason() };
      return { url: `${base}/receive`, body, summary: `${kindLabel()} ${state.transfer.number} ×${qty}${where}` };
    }
    default:
      return {
        url: config.urls.moves,
        body: { kind: kind(), sku: state.item.sku, lot: state.item.lot, ...here, qty, gps },
        summary: `${kindLabel()} ${itemText()} ×${qty}${where}`,
      };
  }
}

async function confirmScan() {
  if (needsLocation() && !state.location) return refuse(T.locationNeeded);
  if (isTransfer() ? !state.transfer : !state.item) return refuse(isTransfer() ? T.transferNeeded : T.itemNeeded);
  const qty = kind() === "transfer_dispatch" ? "1" : readQty();
  if (!qty) {
    qtyInput().setAttribute("aria-invalid", "true");
    qtyInput().focus();
    return refuse(qtyProblem());
  }
  if (unusual(qty)) {
    qtyInput().setAttribute("aria-invalid", "true");
    return show(say(T.unusual, { qty, usual: Number(state.usual.median) }), "warn");
  }
  if (!fix) show(T.gpsWaiting, "warn");
  const gps = await currentFix();
  if (!gps) return refuse(gpsDenied ? T.gpsDenied : T.gpsWaiting);
  const entry = entryFor(qty, gps);
  if (typeof entry === "string") return refuse(entry);
  await outbox.add({ key: state.key || newIdempotencyKey(), user: config.user, ...entry });
  feedback(true);
  show(say(T.queued, { what: entry.summary }));
  state.item = null;
  state.transfer = null;
  state.key = null;
  state.to = null;
  state.usual = null;
  state.unusualAsked = null;
  setQty("1");
  $('[data-testid="discrepancy-reason"]').value = "";
  $('[data-testid="count-reason"]').value = "";
  if (!$('[data-testid="continuous"]').checked) clearLocation();
  renderItem();
  renderExtras();
  if (isTransfer()) loadTransfers();
  await renderOutbox();
  sendQueue();
}

function clearLocation() {
  state.location = null;
  remember(HERE_KEY, null);
  $('[data-testid="location-value"]').textContent = T.locationNeeded;
  $('[data-step="location"]').dataset.done = "";
}

// ---- the outbox on screen ----
function renderOutbox() {
  return showOutbox(root, config.user, T);
}

function onAnswered() {
  // The server names the location in its answer: remember it for the screen.
  outbox.all().then((items) => {
    for (const item of items) {
      if (item.state === outbox.DONE) learnLocationName(item.body.location_label, item.result?.location);
    }
    if (state.location) showLocation();
  });
  renderOutbox();
}

async function sendQueue() {
  if (!navigator.onLine) return renderOutbox();
  const before = new Set((await outbox.all()).filter((i) => i.state === outbox.QUEUED).map((i) => i.key));
  await outbox.flush(config.urls.self, onAnswered, { user: config.user });
  const answered = (await outbox.all()).filter((i) => before.has(i.key));
  const refused = answered.filter((i) => i.state === outbox.REFUSED);
  if (refused.length) refuse(refused[refused.length - 1].error.message);
  await renderOutbox();
}

// ---- the camera and the photo ----
function bindCamera() {
  const box = $('[data-testid="camera"]');
  const toggle = box.querySelector('[data-action="camera"]');
  const torch = box.querySelector('[data-action="torch"]');
  const lens = box.querySelector('[data-action="lens"]');
  const camera = new Camera(
    box.querySelector("video"),
    { decoder: config.decoder, wasm: config.wasm },
    (text) => onCode(text),
    () => {
      box.dataset.state = camera.running ? "on" : "off";
      toggle.setAttribute("aria-pressed", String(camera.running));
      for (const part of toggle.querySelectorAll("[data-when]")) part.hidden = part.dataset.when !== box.dataset.state;
      torch.hidden = !camera.running || !camera.hasTorch;
      lens.hidden = !camera.running || camera.lenses.length < 2;
    },
  );
  const start = async () => {
    box.dataset.state = "starting";
    try {
      await camera.start();
      rememberCamera(true);
    } catch (error) {
      box.dataset.state = "off";
      const reason = error?.name || error?.message || String(error);
      if (error?.stage === "decoder") refuse(say(T.decoderFailed, { reason }));
      else refuse(reason === "unavailable" ? T.cameraUnavailable : say(T.cameraDenied, { reason }));
    }
  };
  toggle.addEventListener("click", () => {
    if (!camera.running) return start();
    camera.stop();
    rememberCamera(false);
  });
  startIfItWasOn(start);
  torch.addEventListener("click", async () => {
    torch.setAttribute("aria-pressed", String(await camera.toggleTorch().catch(() => false)));
  });
  lens.addEventListener("click", () => camera.nextLens().catch((e) => refuse(say(T.cameraDenied, { reason: e.name }))));
  let hidden = false; // the camera was stopped because the app went to the background
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && camera.running) {
      camera.stop(); // the camera and its light go off while the phone is in a pocket...
      hidden = true;
    } else if (document.visibilityState === "visible" && hidden) {
      hidden = false;
      start(); // ...and come back with the app
    }
  });
  root.querySelector('[data-action="photo"]').addEventListener("change", (event) => decodePhoto(event.target));
}

const CAMERA_KEY = "oh.scanner.camera"; // "on": the worker keeps the camera on; open it again next time

function rememberCamera(on) {
  try {
    localStorage.setItem(CAMERA_KEY, on ? "on" : "off");
  } catch {
    /* the camera waits for a tap each time */
  }
}

async function startIfItWasOn(start) {
  // Only when the camera is already allowed: a permission prompt must follow a tap, not a page load.
  let wasOn = false;
  try {
    wasOn = localStorage.getItem(CAMERA_KEY) === "on";
  } catch {
    return;
  }
  const allowed = await navigator.permissions?.query({ name: "camera" }).catch(() => null);
  if (wasOn && allowed?.state === "granted") start();
}

async function decodePhoto(input) {
  const file = input.files?.[0];
  input.value = "";
  if (!file) return;
  const form = new FormData();
  form.append("photo", file);
  show(T.sending, "warn");
  let answer;
  try {
    answer = await apiFetch(config.urls.decode, { method: "POST", body: form });
  } catch (error) {
    // The server's refusal (no code, not an image, too large) is already in the user's language.
    return refuse(error instanceof ApiError ? error.message : say(T.photoFailed, { reason: error.message }));
  }
  // The server sorts what it read (blueprints/api/scan.py): this app's labels first.
  if (answer?.labels?.length) return onCode(answer.labels[0].text);
  if (answer?.refused?.length) return refuse(answer.refused[0].message);
  if (answer?.others?.length) return refuse(say(T.foreign, { text: answer.others.join(", ").slice(0, 120) }));
  refuse(T.photoNothing);
}

// ---- wiring ----
function bindMoves() {
  document.querySelector('[data-action="minus"]').addEventListener("click", () => stepQty(-1));
  document.querySelector('[data-action="plus"]').addEventListener("click", () => stepQty(1));
  qtyInput().addEventListener("focus", () => qtyInput().select());
  qtyInput().addEventListener("input", () => {
    qtyInput().removeAttribute("aria-invalid");
    renderExtras();
  });
  document.querySelector('[data-action="confirm"]').addEventListener("click", confirmScan);
  for (const radio of root.querySelectorAll('input[name="kind"]')) {
    radio.addEventListener("change", () => {
      state.transfer = null;
      state.to = null;
      renderItem();
      renderExtras();
      if (isTransfer()) loadTransfers();
      else renderTransfers();
    });
  }
  addEventListener("online", sendQueue);
  addEventListener("offline", renderOutbox);
  // "Online" only means a network is there: with the server out of reach the queue waits, so it is
  // tried again now and then, and whenever the worker comes back to the app.
  setInterval(sendQueue, RESEND_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sendQueue();
  });
  watchGps();
  renderItem();
  renderExtras();
  renderTransfers();
  sendQueue(); // on opening: whatever waited since the last time goes now
}

function bindInput() {
  const manual = root.querySelector('[data-action="manual"]');
  manual.addEventListener("submit", (event) => {
    event.preventDefault();
    const field = manual.elements.code;
    const text = field.value.trim();
    field.value = "";
    if (text) onCode(text, { typed: true });
  });
  listenForWedge((text) => onCode(text));
}

function keepPageOffline() {
  // The worker saves pages it serves; on the very first visit it took control only after this page
  // had loaded, so it is asked to save it now, for the scanner to open without a network later.
  const workers = navigator.serviceWorker;
  if (!workers || workers.controller) return;
  workers.addEventListener(
    "controllerchange",
    () => workers.controller?.postMessage({ type: "save-page", url: location.href }),
    { once: true },
  );
}

bindCamera();
bindInput();
keepPageOffline();
if (config.canMove) {
  bindMoves();
  // ?loc= from a location's landing page: the label's URL, its path or the bare <id>.<signature>.
  const preset = config.presetLocation.trim();
  if (preset) onCode(LOCATION_TOKEN.test(preset) ? `/s/loc/${preset}` : preset);
  else restoreLocation();
}
