// The planning Gantt (DESIGN §4): rows per workshop and machine, drag a bar to move an operation.
// The server decides (no overlap on a machine, operations in order); a refused move snaps back and
// the reason is shown. Rush orders: preview what an insertion pushes later, then insert.
import { apiFetch, ApiError } from "./api.js";

const box = document.getElementById("gantt");
const message = document.getElementById("gantt-message");
const DAY = 24 * 3600 * 1000;

function say(text, kind = "info") {
  message.textContent = text;
  message.className = `flash flash-${kind}`;
  message.hidden = !text;
}

function fill(template, n) {
  return template.replace("{n}", String(n));
}

function classFor(item, pushed) {
  const names = [];
  if (item.rush) names.push("op-rush");
  if (item.status === "finished") names.push("op-done");
  if (item.status === "started") names.push("op-started");
  if (pushed.has(item.id)) names.push("op-pushed");
  return names.join(" ");
}

function machineOf(group) {
  return String(group).startsWith("m") ? Number(String(group).slice(1)) : null;
}

async function load(timeline, items, groups, pushed = new Set()) {
  const range = timeline.getWindow();
  const params = new URLSearchParams({ start: range.start.toISOString(), end: range.end.toISOString() });
  if (box.dataset.workshop) params.set("workshop", box.dataset.workshop);
  const plan = await apiFetch(`${box.dataset.api}?${params}`);
  groups.clear();
  groups.add(plan.groups.map((g) => (g.nestedGroups ? g : { ...g, nestedGroups: undefined })));
  items.clear();
  items.add(plan.items.map((i) => ({ ...i, className: classFor(i, pushed), editable: i.editable && box.dataset.editable === "1" })));
}

async function move(item, callback) {
  try {
    const saved = await apiFetch(`${box.dataset.api}/operations/${item.id}`, {
      method: "PATCH",
      body: { start: new Date(item.start).toISOString(), end: new Date(item.end).toISOString(), machine_id: machineOf(item.group) },
    });
    callback({ ...item, ...saved, className: classFor(saved, new Set()) });
    say(box.dataset.saved, "success");
  } catch (error) {
    callback(null); // vis-timeline puts the bar back where it was
    say(error instanceof ApiError ? error.message : box.dataset.network, "error");
  }
}

function rushButtons(timeline, items, groups) {
  document.querySelectorAll("[data-rush-preview]").forEach((button) => {
    button.addEventListener("click", async () => {
      const start = new Date().toISOString();
      try {
        const impact = await apiFetch(`${box.dataset.api}/rush/${button.dataset.rushPreview}?start=${encodeURIComponent(start)}`);
        await load(timeline, items, groups, new Set(impact.pushed.map((p) => p.op_id)));
        say(fill(box.dataset.pushed, impact.pushed.length), "info");
      } catch (error) {
        say(error.message, "error");
      }
    });
  });
  document.querySelectorAll("[data-rush-insert]").forEach((button) => {
    button.addEventListener("click", async () => {
      try {
        const done = await apiFetch(`${box.dataset.api}/rush/${button.dataset.rushInsert}`, { method: "POST", body: { start: new Date().toISOString() } });
        await load(timeline, items, groups, new Set(done.pushed.map((p) => p.op_id)));
        say(fill(box.dataset.inserted, done.pushed.length), "success");
      } catch (error) {
        say(error.message, "error");
      }
    });
  });
}

function start() {
  const items = new vis.DataSet();
  const groups = new vis.DataSet();
  const now = Date.now();
  const timeline = new vis.Timeline(box, items, groups, {
    start: new Date(now - DAY),
    end: new Date(now + 6 * DAY),
    stack: false,
    orientation: "top",
    zoomMin: 3600 * 1000,
    editable: { updateTime: true, updateGroup: true, add: false, remove: false },
    itemsAlwaysDraggable: { item: true, range: true },
    snap: (date) => new Date(Math.round(date / (15 * 60 * 1000)) * 15 * 60 * 1000), // quarter hours
    onMove: move,
    locale: document.documentElement.lang === "zh-CN" ? "zh-cn" : "en",
  });
  say(box.dataset.loading);
  load(timeline, items, groups)
    .then(() => say(""))
    .catch((error) => say(error.message, "error"));
  timeline.on("rangechanged", (props) => {
    if (props.byUser) load(timeline, items, groups).catch((error) => say(error.message, "error"));
  });
  rushButtons(timeline, items, groups);
  box.dataset.ready = "1";
}

start();
