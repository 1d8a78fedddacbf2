"""Delivery countdown (交付倒计时): open orders by days left to their due date in the plant. An order
with 3 days or less to go and no passed first-article inspection is an alarm (red, flashing)."""

from dataclasses import dataclass
from datetime import date

ALARM_DAYS = 3


@dataclass(frozen=True)
class CountdownOrder:
    id: int
    number: str
    customer: str
    product_model: str
    due_date: date
    stage: str
    priority: str
    first_article_passed: bool  # a passed first-article inspection is recorded for the order


@dataclass(frozen=True)
class CountdownEntry:
    order: CountdownOrder
    days_left: int  # negative: late
    alarm: bool
    tone: str  # "alarm" | "late" | "soon" | ""


def days_left(due: date, today: date) -> int:
    return (due - today).days


def is_alarm(due: date, today: date, first_article_passed: bool) -> bool:
    return days_left(due, today) <= ALARM_DAYS and not first_article_passed


def entry(order: CountdownOrder, today: date) -> CountdownEntry:
    left = days_left(order.due_date, today)
    alarm = is_alarm(order.due_date, today, order.first_article_passed)
    tone = "alarm" if alarm else "late" if left < 0 else "soon" if left <= ALARM_DAYS else ""
    return CountdownEntry(order, left, alarm, tone)


def most_urgent_first(entries: list[CountdownEntry]) -> list[CountdownEntry]:
    """Alarms on top (they need someone now), then by days left; stable, so ties keep their order."""
    return sorted(entries, key=lambda e: (not e.alarm, e.days_left))
