// The outbox on the scanner's screen: how many scans wait, and each scan with what became of it
// (waiting, done with the new on-hand quantity, or refused in the server's words with a Dismiss).

import * as outbox from "./outbox.js";

function say(template, values = {}) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

function statusText(item, T) {
  if (item.state === outbox.DONE) {
    const onHand = item.result?.on_hand ?? item.result?.on_hand_to;
    return onHand === undefined ? T.done : `${T.done} · ${say(T.onHand, { qty: Number(onHand) })}`;
  }
  if (item.state === outbox.REFUSED) return `${T.refused}: ${item.error?.message || ""}`;
  if (item.error?.status === 401) return T.signIn;
  if (item.error?.status === 409 || item.error?.status >= 500) return T.retrying;
  return navigator.onLine ? T.sending : T.waiting;
}

/** Draws the outbox of `user` into `root`: the waiting count, each scan with its result. */
export async function showOutbox(root, user, T) {
  const $ = (selector) => root.querySelector(selector);
  const rerender = () => showOutbox(root, user, T);
  const everyone = await outbox.all();
  const items = everyone.filter((item) => item.user === user);
  const others = everyone.filter((i) => i.user != null && i.user !== user && i.state === outbox.QUEUED);
  const note = $('[data-testid="other-users"]');
  note.hidden = others.length === 0;
  note.textContent = say(T.otherUsers, { count: others.length });
  const waiting = items.filter((item) => item.state === outbox.QUEUED).length;
  for (const badge of document.querySelectorAll("[data-queue-count]")) {
    badge.textContent = String(waiting);
    badge.dataset.count = String(waiting);
  }
  const list = $('[data-testid="outbox-list"]');
  list.replaceChildren();
  for (const item of items.reverse()) {
    const row = document.createElement("li");
    row.className = "outbox-item";
    row.dataset.state = item.state;
    row.dataset.key = item.key;
    row.dataset.testid = "outbox-item";
    const what = document.createElement("span");
    what.className = "what";
    // Queued offline, a location shows as its label number; the server's answer names it.
    const where = item.result?.location;
    what.textContent = where ? item.summary.replace(/@ #\d+$/, `@ ${where}`) : item.summary;
    const status = document.createElement("span");
    status.className = "status";
    status.textContent = statusText(item, T);
    row.append(what, status);
    if (item.state !== outbox.QUEUED) {
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "dismiss";
      dismiss.textContent = T.dismiss;
      dismiss.addEventListener("click", async () => {
        await outbox.dismiss(item.key);
        rerender();
      });
      row.append(dismiss);
    }
    list.append(row);
  }
}
