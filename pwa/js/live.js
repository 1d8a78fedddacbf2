// Live events over Socket.IO for any page: one connection per page that comes back by itself, a
// status to show, and feeds that replay what was missed while away.
//
// The page loads the vendored client first (it defines window.io):
//   <script src="{{ pwa_asset('vendor/socket.io-client/socket.io.min.js') }}" defer></script>
//   <script type="module" src="{{ pwa_asset('js/my_page.js') }}"></script>
//
//   import { live, feed } from "/pwa/js/live.js";
//   const connection = live();                       // the page's one connection (signed-in session)
//   connection.on("work_order_update", (body) => ...);  // a server event
//   connection.onStatus((state) => ...);             // "connecting" | "online" | "offline"
//   connection.onConnect(() => ...);                 // after every (re)connect, e.g. to re-read a board
//   const answer = await connection.call("event", data);  // an event with the server's acknowledgement
//
// A feed is a stream of numbered items (task cards: a seq per team) that must be seen exactly once:
//   feed(connection, { subscribe: "task_cards_subscribe", event: "task_card", after: {3: 12},
//                      initial: [...], onItem: (card, source) => ... });
// After every (re)connect it sends the last seq seen per group and gets everything after it, in order;
// an item that arrives twice (live and in the replay) is passed to onItem once (deduplicated by id).

const CALL_TIMEOUT_MS = 10000;
const SERVER_CLOSE_RETRY_MS = 2000;
let shared = null;

class Live {
  constructor(io) {
    this.handlers = { connect: [], status: [] };
    this.state = "connecting";
    // Long-polling first, upgraded to a websocket where the network allows (a proxy that refuses the
    // upgrade still leaves a working connection); the session cookie signs in.
    this.socket = io({ reconnectionDelayMax: 10000 });
    this.socket.on("connect", () => {
      this.setState("online");
      for (const handler of this.handlers.connect) handler();
    });
    this.socket.on("disconnect", (reason) => {
      this.setState("offline");
      // The client retries by itself after a network loss or a server restart, but not after the
      // server closed this connection on purpose; a phone on the wall should still come back.
      if (reason === "io server disconnect") setTimeout(() => this.socket.connect(), SERVER_CLOSE_RETRY_MS);
    });
    this.socket.on("connect_error", () => this.setState("offline"));
  }

  setState(state) {
    this.state = state;
    for (const handler of this.handlers.status) handler(state);
  }

  on(event, handler) {
    this.socket.on(event, handler);
    return this;
  }

  onConnect(handler) {
    this.handlers.connect.push(handler);
    if (this.socket.connected) handler();
    return this;
  }

  onStatus(handler) {
    this.handlers.status.push(handler);
    handler(this.state);
    return this;
  }

  call(event, data, timeoutMs = CALL_TIMEOUT_MS) {
    return this.socket.timeout(timeoutMs).emitWithAck(event, data);
  }
}

/** The page's one live connection; throws if the vendored Socket.IO client was not loaded. */
export function live() {
  if (shared) return shared;
  if (typeof window.io !== "function") throw new Error("live.js: load vendor/socket.io-client first");
  shared = new Live(window.io);
  return shared;
}

/**
 * Items numbered per group, each shown once, none missed across reconnects (see the top of this file).
 * Returns {accept, last}: accept(item, source) offers an item from elsewhere (e.g. an API answer).
 */
export function feed(connection, options) {
  const {
    subscribe,
    event,
    after = {},
    initial = [],
    onItem,
    itemsOf = (answer) => answer.cards,
    keyOf = (item) => item.id,
    groupOf = (item) => item.team_id,
    seqOf = (item) => item.seq,
    onReplay = () => {},
  } = options;
  const seen = new Set();
  const last = { ...after };

  function accept(item, source) {
    const key = keyOf(item);
    const group = groupOf(item);
    const seq = seqOf(item);
    // A live item past a hole (seq 6 after 2): items 3–5 were lost between the server's processes
    // (e.g. Redis restarted) while this socket stayed up. `last` stays below the hole, so the replay
    // asked for right away (and after any reconnect) fetches them.
    const gap = source === "live" && last[group] !== undefined && seq > last[group] + 1;
    if (!gap) last[group] = Math.max(last[group] || 0, seq);
    if (seen.has(key)) return false;
    seen.add(key);
    onItem(item, source);
    if (gap) replay();
    return true;
  }

  let replaying = null;
  function replay() {
    replaying = replaying || catchUp().finally(() => (replaying = null));
    return replaying;
  }

  async function catchUp() {
    let replayed = 0;
    try {
      for (let more = true; more; ) {
        const answer = await connection.call(subscribe, { after: { ...last } });
        if (!answer || !answer.ok) return;
        const items = itemsOf(answer) || [];
        for (const item of items) accept(item, "replay");
        replayed += items.length;
        more = Boolean(answer.more) && items.length > 0; // a long absence comes back in several answers
      }
      onReplay(replayed);
    } catch {
      // no answer in time: the next reconnect asks again from the seqs reached so far
    }
  }

  for (const item of initial) accept(item, "initial");
  connection.on(event, (item) => accept(item, "live"));
  connection.onConnect(() => catchUp()); // every (re)connect asks afresh, even while a gap is being filled
  return { accept, last };
}
