"""The event mechanism (DESIGN §3.0). A use case records an event in its unit of work:

- reactions (`reacts_to`) change other areas at once, in the same transaction, so the cascade commits
  or rolls back with its cause (a reaction that refuses raises, and the whole unit of work is undone);
- notifiers (`notifies_on`) say who must be told: at commit time, still inside the transaction, each
  turns the event into deliveries (reading the final state); the registered channels send them only
  after the commit, and never if it rolls back.

`domain/events/reactions.py` wires the reactions; `realtime/notifiers.py` the notifiers and the
Socket.IO channel; `describe()` lists, for each event, who reacts."""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_sqlalchemy.session import Session
from sqlalchemy import event as sa_event

from domain.events.types import Event
from extensions import db

E = TypeVar("E", bound=Event)
log = logging.getLogger(__name__)
_PENDING = "domain_events_pending"  # recorded, notifiers not run yet
_OUTBOX = "domain_events_deliveries"  # prepared, waiting for the commit


@dataclass(frozen=True)
class Delivery:
    """One message for one audience: `to` is a room (`user:<id>`, `team:<id>`, `role:<name>`)."""

    name: str
    body: dict[str, Any]
    to: str


@dataclass
class _Registry:
    reactions: dict[type, list[Callable]] = field(default_factory=lambda: defaultdict(list))
    notifiers: dict[type, list[Callable]] = field(default_factory=lambda: defaultdict(list))
    channels: list[Callable[[Delivery], None]] = field(default_factory=list)


_registry = _Registry()


def reacts_to(*kinds: type[E]) -> Callable:
    """Register a reaction: `handler(event)` runs inside the cause's transaction."""
    return _registering(_registry.reactions, kinds)


def notifies_on(*kinds: type[E]) -> Callable:
    """Register a notifier: `handler(event) -> Iterable[Delivery]`, sent after the commit."""
    return _registering(_registry.notifiers, kinds)


def _registering(table: dict[type, list[Callable]], kinds: tuple[type, ...]) -> Callable:
    def register(handler: Callable) -> Callable:
        for kind in kinds:
            if handler not in table[kind]:
                table[kind].append(handler)
        return handler

    return register


def add_channel(send: Callable[[Delivery], None]) -> None:
    if send not in _registry.channels:
        _registry.channels.append(send)


def record(event: Event) -> None:
    """Record `event` in the current unit of work: its reactions run now (an exception from one
    propagates, so the caller's transaction rolls back); its notifiers at commit."""
    for reaction in _registry.reactions.get(type(event), ()):
        reaction(event)
    db.session.info.setdefault(_PENDING, []).append(event)


def prepare(session: Any) -> None:
    """Turn the recorded events into deliveries while the transaction is still open. Called by
    write_transaction() before its final writes, and by the before_commit hook for plain commits."""
    while pending := session.info.pop(_PENDING, None):
        deliveries = session.info.setdefault(_OUTBOX, [])
        for event in pending:
            for notifier in _registry.notifiers.get(type(event), ()):
                try:
                    deliveries.extend(notifier(event) or ())
                except Exception:  # telling people must never undo what happened
                    log.exception("notifier %s failed on %r", notifier.__name__, event)


def describe() -> list[tuple[str, list[str], list[str]]]:
    """(event, reactions in the transaction, notifiers after commit) for every event type."""
    from domain.events import types

    kinds = [
        k for k in vars(types).values() if isinstance(k, type) and issubclass(k, Event) and k is not Event
    ]
    return [
        (
            kind.__name__,
            [_name(h) for h in _registry.reactions.get(kind, ())],
            [_name(h) for h in _registry.notifiers.get(kind, ())],
        )
        for kind in kinds
    ]


def _name(handler: Callable) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def _send(deliveries: Iterable[Delivery]) -> None:
    for delivery in deliveries:
        for channel in _registry.channels:
            try:
                channel(delivery)
            except Exception:
                log.exception("channel %s failed on %s", _name(channel), delivery.name)


@sa_event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    if not session.in_nested_transaction():
        prepare(session)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if not session.in_nested_transaction():
        _send(session.info.pop(_OUTBOX, ()))


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)
        session.info.pop(_OUTBOX, None)
