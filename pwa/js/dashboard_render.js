// Draws the four dashboard modules (DESIGN §9) from the JSON the server sends, on first load and on
// every live update. Texts come from the page (translated there); nothing here is user-visible words.

const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function fill(tpl, values) {
  return tpl.replace(/\{(\w+)\}/g, (_m, key) => (key in values ? values[key] : `{${key}}`));
}

function percent(value) {
  return value === null || value === undefined ? "—" : `${Math.round(value * 100)}%`;
}

function noData(text) {
  return el("p", { className: "no-data", "data-testid": "no-data" }, el("span", { text: "—" }), " ", el("small", { text }));
}

function tiles(items, ordersUrl, label) {
  const list = el("ul", { className: "tiles" });
  for (const item of items) {
    const href = `${ordersUrl}?${new URLSearchParams(item.filters)}`;
    list.append(
      el(
        "li",
        {},
        el(
          "a",
          { href, "data-pool": item.key, "data-count": item.count },
          el("b", { text: String(item.count) }),
          el("span", { text: label(item) }),
        ),
      ),
    );
  }
  return list;
}

export function orderPool(data, labels, ordersUrl) {
  return [
    el("p", { className: "pool-total", "data-testid": "open-total" }, String(data.open_total), " ", el("small", { className: "muted", text: labels.open_total })),
    el("h3", { text: labels.by_stage }),
    tiles(data.by_stage, ordersUrl, (i) => labels.stages[i.key] || i.key),
    el("h3", { text: labels.by_priority }),
    tiles(data.by_priority, ordersUrl, (i) => i.label),
    el("h3", { text: labels.by_customer }),
    data.by_customer.length ? tiles(data.by_customer, ordersUrl, (i) => `${i.key} ${i.label}`) : noData(labels.no_data),
  ];
}

function daysText(days, labels) {
  if (days === 0) return labels.due_today;
  if (days < 0) return days === -1 ? labels.late_one : fill(labels.late_other, { n: -days });
  return days === 1 ? labels.days_left_one : fill(labels.days_left_other, { n: days });
}

function alarmIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "alarm-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M12 3 2 21h20zM12 10v5M12 18v.5");
  svg.append(path);
  return svg;
}

function faiText(order, known, labels) {
  if (!known) return labels.fai_unknown;
  return order.first_article_passed ? labels.fai_passed : labels.fai_missing;
}

export function countdown(data, labels, ordersUrl) {
  if (!data.orders.length) return [noData(labels.countdown_none)];
  const list = el("ul", { className: "countdown", "data-testid": "countdown-list" });
  for (const order of data.orders) {
    const classes = [order.alarm ? "alarm" : "", order.tone ? `tone-${order.tone}` : ""].filter(Boolean).join(" ");
    const item = el(
      "li",
      { className: classes, "data-order": order.number, "data-alarm": order.alarm ? "1" : "0", "data-days-left": order.days_left },
      el("span", {}, order.alarm ? alarmIcon() : null, " ", el("a", { href: `${ordersUrl}${order.id}`, text: order.number }), " ", el("span", { className: `badge badge-${order.priority.toLowerCase()}`, text: order.priority })),
      el("span", { className: "days", text: daysText(order.days_left, labels) }),
      el("span", { className: "detail", text: `${order.customer} · ${order.product_model} · ${labels.stages[order.stage] || order.stage}` }),
      el("span", { className: "fai", text: order.alarm ? labels.alarm : faiText(order, data.first_article_known, labels) }),
    );
    list.append(item);
  }
  const parts = [list];
  if (data.total > data.orders.length) {
    parts.push(el("p", { className: "muted", text: fill(labels.more, { n: data.total - data.orders.length }) }));
  }
  return parts;
}

function heatClass(load) {
  if (load === null || load === undefined || load <= 0) return "";
  if (load < 0.25) return "heat-1";
  if (load < 0.5) return "heat-2";
  if (load < 0.8) return "heat-3";
  if (load <= 1) return "heat-4";
  return "heat-5";
}

export function heatmap(data, labels) {
  if (!data.workshops.length) return [noData(labels.no_workshops)];
  const locale = document.documentElement.lang || undefined;
  const dayName = new Intl.DateTimeFormat(locale, { weekday: "short", month: "numeric", day: "numeric", timeZone: "UTC" });
  const head = el("tr", {}, el("th", { scope: "col", text: labels.workshop }));
  for (const day of data.days) {
    head.append(el("th", { scope: "col", className: day === data.today ? "is-today" : "", text: dayName.format(new Date(`${day}T00:00:00Z`)) }));
  }
  const body = el("tbody");
  for (const shop of data.workshops) {
    const row = el("tr", { "data-workshop": shop.id }, el("th", { scope: "row", text: shop.name }));
    shop.cells.forEach((cell, i) => {
      const title = fill(labels.planned, { planned: cell.planned_hours, capacity: cell.capacity_hours });
      row.append(
        el(
          "td",
          { className: [heatClass(cell.load), data.days[i] === data.today ? "is-today" : ""].filter(Boolean).join(" "), title, "data-load": cell.load, "data-progress": cell.progress ?? "" },
          el("span", { text: cell.planned_hours ? percent(cell.progress) : "" }),
          cell.planned_hours ? el("small", { text: `${labels.load} ${percent(cell.load)}` }) : null,
        ),
      );
    });
    body.append(row);
  }
  return [el("div", { className: "heat-scroll" }, el("table", { className: "heatmap" }, el("thead", {}, head), body))];
}

export function kitting(data, labels) {
  if (!data.available) return [noData(labels.kitting_no_data)];
  if (!data.work_orders.length) return [el("p", { text: labels.kitting_none })];
  const list = el("ul", { className: "kitting", "data-testid": "kitting-list" });
  for (const wo of data.work_orders) {
    const missing = (wo.missing || []).map((m) => `${m.sku} ${m.short} ${m.unit || ""}`.trim()).join(", ");
    list.append(
      el(
        "li",
        { "data-work-order": wo.number },
        el("b", { text: wo.number }),
        ` ${wo.order} · ${wo.product} · ${labels.kitting_rate} ${percent(wo.kitting_rate)} · ${labels.starts} ${wo.planned_start || "—"}`,
        missing ? el("div", { className: "muted", text: `${labels.missing}: ${missing}` }) : null,
      ),
    );
  }
  const parts = [list];
  if (data.total > data.work_orders.length) {
    parts.push(el("p", { className: "muted", text: fill(labels.more_work_orders, { n: data.total - data.work_orders.length }) }));
  }
  return parts;
}
