"""Messages that reach people with the app closed (DESIGN §4): an outbox row per message, written in
the transaction of the event that caused it, and a worker that delivers the rows to 企业微信 (WeCom),
at least once, with retries and backoff; a channel's outage delays rows, never loses them."""
