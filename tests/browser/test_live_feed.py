"""pwa/js/live.js feed() in a real browser with a stand-in connection: a live card that arrives past a
hole in the seqs (cards lost between server processes while Redis restarted, the phone's socket never
dropping) makes the phone ask for the missing cards at once, and its `last` never jumps the hole —
so no card is lost, even on later reconnects (tests/faults/test_redis_restart.py is the server side)."""

import pytest
from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

SCRIPT = """async () => {
  const { feed } = await import("/pwa/js/live.js");
  const handlers = {};
  const reconnects = [];
  const asked = [];
  const server = [1, 2, 3, 4, 5, 6].map((seq) => ({ id: 100 + seq, team_id: 7, seq }));
  const connection = {
    on: (name, fn) => (handlers[name] = fn),
    onConnect: (fn) => reconnects.push(fn),
    call: async (name, data) => {
      const after = data.after[7] ?? 0;
      asked.push(after);
      return { ok: true, cards: server.filter((c) => c.seq > after), more: false };
    },
  };
  const shown = [];
  const cards = feed(connection, {
    subscribe: "task_cards_subscribe", event: "task_card", after: { 7: 0 },
    onItem: (card, source) => shown.push(`${card.seq}:${source}`),
  });
  handlers.task_card(server[0]);
  handlers.task_card(server[1]);
  handlers.task_card(server[5]); // 3, 4 and 5 never came live
  await new Promise((resolve) => setTimeout(resolve, 100));
  const afterGap = cards.last[7];
  for (const fn of reconnects) await fn(); // a later reconnect asks from 6 and gets nothing twice
  return { shown, asked, afterGap, last: cards.last[7] };
}"""


def test_a_live_card_past_a_gap_fetches_the_missing_cards(phone: BrowserContext, live_server):
    page = phone.new_page()
    page.goto("/login")
    result = page.evaluate(SCRIPT)
    assert result["shown"] == ["1:live", "2:live", "6:live", "3:replay", "4:replay", "5:replay"]
    assert result["asked"] == [2, 6]  # the gap replay from 2, then the reconnect from 6
    assert result["afterGap"] == 6 and result["last"] == 6
