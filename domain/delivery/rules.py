"""Delivery rules on plain values: when a failed message is tried again, and what a message says."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

FIRST_RETRY = timedelta(seconds=15)
LONGEST_WAIT = timedelta(minutes=30)  # a channel down for hours is still tried twice an hour


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 15 s, 30 s, 1 min, 2 min … capped at 30 min."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


@dataclass(frozen=True)
class Message:
    """What a person reads: a title, a few lines and the page of Order Helper it opens."""

    title: str
    body: str
    path: str  # e.g. /leader#card-12, made absolute with the app's public address


def clip(text: str, limit: int) -> str:
    """WeCom cuts textcard descriptions at 512 bytes; cut at characters, marked, before it does."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    cut = encoded[: limit - 3].decode(errors="ignore")
    return cut + "…"


# ---- whom, and when ----

TASK_CARD, CHANGE_NOTICE, FIRST_ARTICLE, RUSH = "task_card", "change_notice", "first_article", "rush"
KINDS = (TASK_CARD, CHANGE_NOTICE, FIRST_ARTICLE, RUSH)
URGENT = frozenset({TASK_CARD, FIRST_ARTICLE})  # the line waits for them: they ignore quiet hours


def wanted(kind: str, channel: str, muted: Iterable[str]) -> bool:
    """A person turned off `kind` on `channel` by listing "kind:channel" in their muted list."""
    return f"{kind}:{channel}" not in set(muted)


def quiet_end(local_now: datetime, start: time | None, end: time | None) -> datetime | None:
    """If `local_now` (plant time) falls in the quiet hours start–end (which may span midnight), the
    local moment they end; else None."""
    if start is None or end is None or start == end:
        return None
    at = local_now.time()
    inside = start <= at < end if start < end else (at >= start or at < end)
    if not inside:
        return None
    ends = datetime.combine(local_now.date(), end, tzinfo=local_now.tzinfo)
    return ends if ends > local_now else ends + timedelta(days=1)


def parse_hhmm(text: str | None) -> time | None:
    if not text:
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
