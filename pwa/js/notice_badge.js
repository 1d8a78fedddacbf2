// The menu's badge of changes waiting for this user's acknowledgement (DESIGN §3.0), on every page of
// the roles that must acknowledge them: a notice pushed over Socket.IO adds one at once; an
// acknowledgement on any of the user's devices takes one off; after a (re)connect the count is read
// again, so what arrived while away is counted too.

import { apiFetch } from "./api.js";
import { live } from "./live.js";

const badge = document.querySelector("[data-notice-count]");
const me = Number(document.body.dataset.userId);
const seen = new Set(); // notice ids counted live since the last read

function show(count) {
  const value = Math.max(0, count);
  badge.dataset.noticeCount = String(value);
  badge.textContent = String(value);
  badge.hidden = value === 0;
}

async function reread() {
  try {
    const page = await apiFetch("/api/v1/changes?pending=true&limit=1");
    seen.clear();
    show(page.total);
  } catch {
    // offline or signed out: keep what the page shows
  }
}

const toast = document.getElementById("order-toast");

function tellOrder(order) {
  const labels = JSON.parse(toast.dataset.stageLabels);
  toast.textContent = [`${order.number}: ${labels[order.stage] || order.stage}`, order.reason].filter(Boolean).join(" — ");
  toast.hidden = false;
  clearTimeout(tellOrder.timer);
  tellOrder.timer = setTimeout(() => (toast.hidden = true), 10000);
}

if (badge) {
  const connection = live();
  connection.onConnect(reread);
  connection.on("change_notice", (notice) => {
    if (seen.has(notice.id)) return;
    seen.add(notice.id);
    show(Number(badge.dataset.noticeCount) + 1);
  });
  if (toast) connection.on("order_update", tellOrder);
  connection.on("change_acknowledged", (body) => {
    if (body.user_id === me) show(Number(badge.dataset.noticeCount) - 1);
  });
}
