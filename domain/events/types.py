"""What happens to an order and its production that other areas depend on (DESIGN §3.0). Plain
records of ids: a handler reads the rows it needs in the same transaction."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of every domain event; `actor_id` is who caused it (None for the system)."""

    actor_id: int | None


@dataclass(frozen=True)
class OrderCancelled(Event):
    order_id: int
    reason: str


@dataclass(frozen=True)
class OrderHeld(Event):
    order_id: int
    reason: str


@dataclass(frozen=True)
class OrderResumed(Event):
    order_id: int


@dataclass(frozen=True)
class SpecChanged(Event):
    """A customer spec change on a confirmed-or-later order: `notice_id` holds before/after."""

    order_id: int
    notice_id: int


@dataclass(frozen=True)
class ProcessChanged(Event):
    product_id: int
    notice_id: int


@dataclass(frozen=True)
class NoticeAcknowledged(Event):
    notice_id: int
    user_id: int


@dataclass(frozen=True)
class WorkOrderConverted(Event):
    work_order_id: int
    card_id: int


@dataclass(frozen=True)
class TaskCardChanged(Event):
    """A leader acknowledged, started, reported on or finished a card (`action` says which)."""

    card_id: int
    action: str


@dataclass(frozen=True)
class FirstArticleRequested(Event):
    """A work order made its first-article sample and waits for QC before more good output."""

    work_order_id: int


@dataclass(frozen=True)
class InspectionRecorded(Event):
    inspection_id: int
    work_order_id: int | None
    kind: str
    passed: bool


@dataclass(frozen=True)
class RushRequested(Event):
    """A rush request waits for the VP's decision."""

    rush_id: int
