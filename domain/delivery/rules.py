"""Delivery rules on plain values: when a failed message is tried again, and what a message says."""

from dataclasses import dataclass
from datetime import timedelta

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
