// The new-ticket form: as the serial is typed or scanned, what the plant knows about it (order,
// customer, ship date, warranty, earlier repairs); as the fault is described, the parts that fixed
// similar faults. Both are read-only look-ups; the ticket itself is opened by the form's POST.

import { apiFetch } from "./api.js";

const config = JSON.parse(document.getElementById("desk-config").textContent);
const T = config.texts;
const form = document.querySelector('[data-testid="ticket-form"]');
const serialInput = form.querySelector('[data-testid="serial"]');
const facts = form.querySelector('[data-testid="serial-facts"]');
const fault = form.querySelector('[data-testid="fault"]');
const advice = form.querySelector('[data-testid="advice"]');
let known = null;
let timer = null;

function say(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

async function lookUp() {
  const serial = serialInput.value.trim();
  known = null;
  facts.textContent = "";
  if (!serial) return;
  const info = await apiFetch(config.serialUrl.replace("SERIAL", encodeURIComponent(serial))).catch(() => null);
  if (!info) return;
  serialInput.value = info.serial;
  if (!info.known) {
    facts.textContent = T.unknown;
    form.querySelector("details").open = true;
    return;
  }
  known = info;
  const lines = [say(T.shipped, { date: info.ship_date || "—", order: info.order || "—", customer: info.customer_name })];
  if (info.warranty.status === "in_warranty") lines.push(say(T.inWarranty, { date: info.warranty.until }));
  if (info.warranty.status === "expired") lines.push(say(T.expired, { date: info.warranty.until }));
  lines.push(say(T.repairs, { n: info.history.length }));
  facts.textContent = lines.join(" · ");
  suggest();
}

async function suggest() {
  const description = fault.value.trim();
  if (description.length < 2) {
    advice.hidden = true;
    return;
  }
  const query = new URLSearchParams({ description });
  const product = known?.product || form.querySelector('[data-testid="product"]').value.trim();
  if (product) query.set("product", product);
  if (known?.customer) query.set("customer", known.customer);
  const found = await apiFetch(`${config.adviceUrl}?${query}`).catch(() => null);
  if (!found) return;
  advice.replaceChildren();
  const title = document.createElement("b");
  title.textContent = T.advice;
  const list = document.createElement("ol");
  for (const part of found.recommendations) {
    const item = document.createElement("li");
    const refs = part.evidence.map((e) => e.ref).join(", ");
    item.textContent = `${part.sku} ${part.name}${refs ? ` (${refs})` : ""}`;
    list.append(item);
  }
  advice.append(title, list);
  advice.hidden = found.recommendations.length === 0;
}

serialInput.addEventListener("change", lookUp);
fault.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(suggest, 400);
});
if (serialInput.value) lookUp();
