// The planning Gantt (DESIGN §4): rows per workshop and machine, drag a bar to move (and pin) an
// operation. The server decides (no overlap on a machine, operations in order); a refused move snaps
// back and the reason is shown. Re-plan and rush insertion: preview what moves and which orders finish
// later, then apply exactly that preview.
import { apiFetch, ApiError } from "./api.js";
import { ganttFormat } from "./gantt_format.js";

const box = document.getElementById("gantt");
const message = document.getElementById("gantt-message");
const panel = document.querySelector("[data-testid=plan-panel]");
const DAY = 24 * 3600 * 1000;
const lang = document.documentElement.lang || "en";

function say(text, kind = "info") {
  message.textContent = text;
  message.className = `flash flash-${kind}`;
  message.hidden = !text;
}

function fill(template, values) {
  return Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, String(value)), template);
}

function classFor(item, moving) {
  const names = [];
  if (item.rush) names.push("op-rush");
  if (item.status === "finished") names.push("op-done");
  if (item.status === "started") names.push("op-started");
  if (item.days_late > 0) names.push("op-late");
  if (item.pinned) names.push("op-pinned");
  if (moving.has(item.id)) names.push("op-pushed");
  return names.join(" ");
}

function contentFor(item) {
  const parts = [item.content];
  if (item.pinned) parts.push(`📌 ${box.dataset.pinned}`);
  if (item.days_late > 0) parts.push(fill(box.dataset.late, { n: item.days_late }));
  return parts.join(" · ");
}

function shown(item, moving) {
  return {
    ...item,
    content: contentFor(item),
    className: classFor(item, moving),
    editable: item.editable && box.dataset.editable === "1",
  };
}

function machineOf(group) {
  return String(group).startsWith("m") ? Number(String(group).slice(1)) : null;
}

async function load(timeline, items, groups, moving = new Set()) {
  const range = timeline.getWindow();
  const params = new URLSearchParams({ start: range.start.toISOString(), end: range.end.toISOString() });
  if (box.dataset.workshop) params.set("workshop", box.dataset.workshop);
  const plan = await apiFetch(`${box.dataset.api}?${params}`);
  groups.clear();
  groups.add(plan.groups.map((g) => (g.nestedGroups ? g : { ...g, nestedGroups: undefined })));
  items.clear();
  items.add(plan.items.map((i) => shown(i, moving)));
}

async function move(item, callback) {
  try {
    const saved = await apiFetch(`${box.dataset.api}/operations/${item.id}`, {
      method: "PATCH",
      body: { start: new Date(item.start).toISOString(), end: new Date(item.end).toISOString(), machine_id: machineOf(item.group) },
    });
    callback({ ...item, ...shown(saved, new Set()) });
    say(box.dataset.saved, "success");
  } catch (error) {
    callback(null); // vis-timeline puts the bar back where it was
    say(error instanceof ApiError ? error.message : box.dataset.network, "error");
  }
}

async function unpin(item, callback) {
  // A double tap on a pinned bar gives it back to the scheduler (the next re-plan may move it).
  if (!item.pinned || !window.confirm(box.dataset.unpinAsk)) return callback(null);
  try {
    const saved = await apiFetch(`${box.dataset.api}/operations/${item.id}/pin`, { method: "DELETE" });
    callback({ ...item, ...shown(saved, new Set()) });
    say(box.dataset.unpinned, "success");
  } catch (error) {
    callback(null);
    say(error instanceof ApiError ? error.message : box.dataset.network, "error");
  }
}

// ---- re-plan and rush insertion: preview, then apply ----

const when = new Intl.DateTimeFormat(lang, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

function orderLine(order, testid) {
  const li = document.createElement("li");
  li.dataset.testid = testid;
  li.dataset.number = order.number;
  const delay = fill(order.delay_hours > 0 ? panel.dataset.delay : panel.dataset.ahead, {
    hours: Math.abs(order.delay_hours),
    finish: when.format(new Date(order.new_finish)),
  });
  const late = fill(panel.dataset.lateChange, { old: order.old_days_late, new: order.new_days_late });
  li.textContent = `${order.number} (${order.priority}${order.rush ? " ⚡" : ""}) · ${delay} · ${late}`;
  if (order.new_days_late > 0) li.classList.add("late");
  return li;
}

function showPreview(proposal) {
  const preview = panel.querySelector("[data-testid=plan-preview]");
  panel.querySelector("[data-testid=plan-summary]").textContent = proposal.moves.length
    ? fill(panel.dataset.moves, { n: proposal.moves.length })
    : panel.dataset.noMoves;
  const delayed = panel.querySelector("[data-testid=delayed-orders]");
  delayed.replaceChildren(...proposal.delayed.map((o) => orderLine(o, "delayed-order")));
  if (!proposal.delayed.length) delayed.textContent = panel.dataset.delayedNone;
  const earlier = proposal.orders.filter((o) => o.delay_hours < 0);
  panel.querySelector("[data-testid=earlier-orders]").replaceChildren(...earlier.map((o) => orderLine(o, "earlier-order")));
  preview.hidden = false;
  preview.dataset.ready = "1";
}

function planButtons(timeline, items, groups) {
  let current = null; // {url, token}: the preview on screen, applied as it is
  const preview = async (url) => {
    say(panel.dataset.working);
    try {
      const proposal = await apiFetch(url);
      current = { url, token: proposal.token };
      await load(timeline, items, groups, new Set(proposal.moves.map((m) => m.op_id)));
      showPreview(proposal);
      say("");
    } catch (error) {
      say(error.message, "error");
    }
  };
  panel.querySelector("[data-replan-preview]").addEventListener("click", () => preview(`${box.dataset.api}/replan`));
  panel.querySelectorAll("[data-rush-preview]").forEach((button) => {
    button.addEventListener("click", () => preview(`${box.dataset.api}/rush/${button.dataset.rushPreview}`));
  });
  const apply = panel.querySelector("[data-plan-apply]");
  if (!apply) return;
  apply.addEventListener("click", async () => {
    if (!current) return;
    try {
      const done = await apiFetch(current.url, { method: "POST", body: { token: current.token } });
      await load(timeline, items, groups);
      say(fill(panel.dataset.applied, { n: done.moved }), "success");
    } catch (error) {
      say(error.message, "error");
    }
  });
}

function start() {
  const items = new vis.DataSet();
  const groups = new vis.DataSet();
  const now = Date.now();
  const phone = window.matchMedia("(max-width: 40rem)").matches;
  const timeline = new vis.Timeline(box, items, groups, {
    start: new Date(now - (phone ? 0.25 : 1) * DAY),
    end: new Date(now + (phone ? 2 : 6) * DAY),
    stack: false,
    orientation: "top",
    zoomMin: 3600 * 1000,
    editable: { updateTime: true, updateGroup: true, add: false, remove: false },
    itemsAlwaysDraggable: { item: true, range: true },
    snap: (date) => new Date(Math.round(date / (15 * 60 * 1000)) * 15 * 60 * 1000), // quarter hours
    onMove: move,
    onUpdate: unpin,
    // The bundled moment knows no Chinese and its last locale (Ukrainian) wins: the labels are the
    // browser's own, in the page's language.
    format: ganttFormat(lang),
    locale: lang.startsWith("zh") ? "zh" : "en",
    locales: { zh: { current: "当前", time: "时间", deleteSelected: "删除所选" }, en: { current: "current", time: "time", deleteSelected: "Delete selected" } },
    groupHeightMode: "fixed",
  });
  say(box.dataset.loading);
  load(timeline, items, groups)
    .then(() => say(""))
    .catch((error) => say(error.message, "error"));
  timeline.on("rangechanged", (props) => {
    if (props.byUser) load(timeline, items, groups).catch((error) => say(error.message, "error"));
  });
  planButtons(timeline, items, groups);
  box.dataset.ready = "1";
}

start();
