// The team leader's phone (DESIGN §4): task cards arrive live with a beep and a vibration, cards
// missed while offline are replayed in order on reconnect (live.js), each card shows once, and the
// leader acknowledges (已接收), starts, reports good/scrap and finishes from here. Changes to the
// order's spec or the model's process stay highlighted on the card until acknowledged.

import { apiFetch } from "./api.js";
import { feed, live } from "./live.js";

const state = JSON.parse(document.getElementById("leader-state").textContent);
const list = document.getElementById("card-list");
const cardTemplate = document.getElementById("card-template");
const noticeTemplate = document.getElementById("notice-template");
const alertBar = document.getElementById("new-card-alert");
const statusLine = document.getElementById("live-status");
const cards = new Map(); // card id → latest payload
const notices = new Map(state.notices.map((n) => [n.id, n]));
let cues = 0;

// ---- the cue: sound needs a tap first on phones, so the audio is unlocked by the first touch ----

let audio = null;
function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!audio && Context) audio = new Context();
  if (audio && audio.state === "suspended") audio.resume();
}
document.addEventListener("pointerdown", unlockAudio, { passive: true });
document.addEventListener("keydown", unlockAudio);

function beep() {
  if (!audio || audio.state !== "running") return;
  const now = audio.currentTime;
  for (const [start, pitch] of [[0, 880], [0.22, 1175]]) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = pitch;
    gain.gain.setValueAtTime(0.001, now + start);
    gain.gain.exponentialRampToValueAtTime(0.4, now + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.001, now + start + 0.18);
    tone.connect(gain).connect(audio.destination);
    tone.start(now + start);
    tone.stop(now + start + 0.2);
  }
}

function cue(card) {
  cues += 1;
  document.body.dataset.cues = String(cues);
  beep();
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  alertBar.hidden = false;
  alertBar.dataset.cardId = card.id;
  alertBar.querySelector("[data-slot=title]").textContent = card.title;
  clearTimeout(cue.timer);
  cue.timer = setTimeout(() => (alertBar.hidden = true), 8000);
}

function openCard(cardId) {
  const node = list.querySelector(`[data-card-id="${cardId}"]`);
  if (!node) return;
  node.scrollIntoView({ behavior: "smooth", block: "start" });
  node.focus({ preventScroll: true });
}

// Tapping the banner opens the card it announces.
alertBar.addEventListener("click", () => {
  alertBar.hidden = true;
  openCard(alertBar.dataset.cardId);
});

// A notification's link (/leader#card-12, from WeCom or Web Push) opens its card, also when the
// service worker points an already open page at it.
function openCardOfHash() {
  const match = /^#card-(\d+)$/.exec(window.location.hash);
  if (match) openCard(match[1]);
}
window.addEventListener("hashchange", openCardOfHash);

// ---- rendering ----

function slot(root, name) {
  return root.querySelector(`[data-slot="${name}"]`);
}

const counting = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 3 });

function pieces(value) {
  // "12,000": separators as the page's language writes them (domain/quantity_format.py on pages)
  return counting.format(Number(value));
}

function time(iso) {
  // plant time, whatever zone the phone is set to (a leader's phone bought abroad, a test browser)
  const style = { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone: state.zone };
  return iso ? new Date(iso).toLocaleString([], style) : "—";
}

function noticesFor(card) {
  return [...notices.values()].filter(
    (n) =>
      (n.order_id && n.order_id === card.work_order.order_id) ||
      (n.kind === "process" && n.product_model === card.product_model),
  );
}

function renderNotice(notice) {
  const node = noticeTemplate.content.firstElementChild.cloneNode(true);
  node.dataset.noticeId = notice.id;
  const isSpec = notice.kind === "spec";
  slot(node, "kind").textContent = isSpec ? state.texts.spec_change : state.texts.process_change;
  slot(node, "title").textContent = notice.title || "";
  const changes = slot(node, "changes");
  for (const [field, pair] of Object.entries(notice.changes || {})) {
    const line = document.createElement("li");
    const label = document.createElement("b");
    label.textContent = `${state.field_labels[field] || field}: `;
    const old = document.createElement("s");
    old.textContent = pair[0] ?? "—";
    const fresh = document.createElement("mark");
    fresh.textContent = pair[1] ?? "—";
    line.append(label, old, " → ", fresh);
    changes.append(line);
  }
  slot(node, "body").textContent = notice.body || "";
  node.querySelector("[data-action=ack-notice]").addEventListener("click", () => acknowledgeNotice(notice.id, node));
  return node;
}

// Why a report may be refused (DESIGN §7): the sample allowed before QC's first-article inspection.
function renderFirstArticle(line, gate) {
  line.hidden = !gate || !gate.required;
  if (line.hidden) return;
  line.dataset.state = gate.blocked ? "blocked" : gate.status;
  const texts = state.texts.first_article;
  let text = texts.passed;
  if (gate.status === "failed") text = texts.failed;
  else if (gate.blocked) text = texts.blocked;
  else if (gate.status !== "passed") text = texts.waiting;
  line.textContent = text.replace("{sample}", gate.sample_qty).replace("{left}", gate.may_report ?? "");
}

function renderCard(card) {
  const node = cardTemplate.content.firstElementChild.cloneNode(true);
  node.dataset.cardId = card.id;
  node.dataset.seq = card.seq;
  node.dataset.team = card.team_id;
  node.dataset.status = card.status;
  slot(node, "title").textContent = card.title;
  slot(node, "status").textContent = state.labels[card.status] || card.status;
  slot(node, "order").textContent = `${card.work_order.order_number} · ${card.work_order.number}`;
  slot(node, "quantity").textContent = `${pieces(card.quantity)} ${state.texts.pieces}`;
  slot(node, "due").textContent = card.due_date || "—";
  slot(node, "progress").textContent = `${pieces(card.work_order.good_qty)} / ${pieces(card.work_order.scrap_qty)}`;
  slot(node, "note").textContent = card.note || "";
  slot(node, "note").hidden = !card.note;
  const stopped = card.status === "on_hold" || card.status === "cancelled";
  slot(node, "stopped").hidden = !stopped;
  slot(node, "stopped").textContent = stopped ? `${state.labels[card.status]}: ${card.work_order.stop_reason || ""}` : "";
  renderFirstArticle(slot(node, "first-article"), card.first_article);
  const ops = slot(node, "operations");
  for (const op of card.operations) {
    const line = document.createElement("li");
    line.dataset.status = op.status;
    const where = [op.workshop, op.machine].filter(Boolean).join(" · ");
    line.textContent = `${op.seq}. ${op.name} — ${where} · ${time(op.planned_start)}–${time(op.planned_end)} · ${state.operation_labels[op.status] || op.status}`;
    ops.append(line);
  }
  const box = slot(node, "notices");
  for (const notice of noticesFor(card)) box.append(renderNotice(notice));
  for (const button of node.querySelectorAll("[data-when]")) {
    button.hidden = !button.dataset.when.split(" ").includes(card.status);
  }
  for (const button of node.querySelectorAll("button[data-action]:not([data-action=ack-notice])")) {
    button.addEventListener("click", () => act(card.id, button.dataset.action, node));
  }
  node.querySelector("form[data-action=report]").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    act(card.id, "report", node, { good: form.good.value || "0", scrap: form.scrap.value || "0" });
  });
  return node;
}

function place(node, card) {
  const existing = list.querySelector(`[data-card-id="${card.id}"]`);
  if (existing) {
    node.classList.toggle("is-new", existing.classList.contains("is-new") && card.status === "new");
    existing.replaceWith(node);
    return;
  }
  // newest first within each team (the card that just arrived is on top, not under 40 older ones),
  // whatever order the cards arrived in
  const after = [...list.children].find(
    (other) => +other.dataset.team > card.team_id || (+other.dataset.team === card.team_id && +other.dataset.seq < card.seq),
  );
  list.insertBefore(node, after || null);
}

function show(card, source) {
  cards.set(card.id, card);
  const node = renderCard(card);
  if (source === "live" || source === "replay") node.classList.add("is-new");
  place(node, card);
  document.getElementById("no-cards").hidden = cards.size > 0;
  if (source === "live" || source === "replay") cue(card);
}

function redrawAll() {
  for (const card of cards.values()) place(renderCard(card), card);
}

// ---- actions ----

async function act(cardId, action, node, body) {
  const error = slot(node, "error");
  error.hidden = true;
  for (const button of node.querySelectorAll("button")) button.disabled = true;
  try {
    const card = await apiFetch(`/api/v1/task-cards/${cardId}/${action}`, { method: "POST", body: body || {} });
    cards.set(card.id, card);
    place(renderCard(card), card);
  } catch (problem) {
    error.textContent = problem.name === "ApiError" ? problem.message : state.texts.offline;
    error.hidden = false;
    for (const button of node.querySelectorAll("button")) button.disabled = false;
  }
}

async function acknowledgeNotice(noticeId, node) {
  const button = node.querySelector("[data-action=ack-notice]");
  button.disabled = true;
  try {
    await apiFetch(`/api/v1/changes/${noticeId}/ack`, { method: "POST" });
    notices.delete(noticeId);
    redrawAll();
  } catch (problem) {
    button.disabled = false;
    slot(node, "body").textContent = problem.name === "ApiError" ? problem.message : state.texts.offline;
  }
}

// ---- live ----

const connection = live();
connection.onStatus((status) => {
  statusLine.dataset.state = status;
  for (const part of statusLine.querySelectorAll("[data-when]")) part.hidden = part.dataset.when !== status;
});
feed(connection, {
  subscribe: "task_cards_subscribe",
  event: "task_card",
  after: state.after,
  initial: state.cards,
  onItem: show,
});
connection.on("task_card_update", (card) => {
  if (!cards.has(card.id)) return; // a card this page never showed (another team, or an old one)
  cards.set(card.id, card);
  place(renderCard(card), card);
});
connection.on("change_notice", (notice) => {
  notices.set(notice.id, notice);
  redrawAll();
});
connection.on("change_acknowledged", (body) => {
  if (body.user_id !== state.user_id) return; // somebody else read a notice I wrote
  notices.delete(body.id);
  redrawAll();
});
list.addEventListener("click", (event) => event.target.closest(".is-new")?.classList.remove("is-new"));
document.getElementById("no-cards").hidden = cards.size > 0;
openCardOfHash();
