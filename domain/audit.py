"""Audit log (DESIGN §1): who changed what, when, from which device/IP, with GPS where given."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, insert
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from domain.transactions import unit_of_work, write_at_commit
from extensions import db

# Set by the web layer (app.py) so rules stay free of Flask: returns ip/device (and GPS) of the caller.
context_provider: Callable[[], dict[str, Any]] = dict


class AuditLog(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(256))
    lat: Mapped[float | None]
    lon: Mapped[float | None]


_INSERT = insert(AuditLog.__table__).inline()  # no RETURNING: written in a pipeline
_INSERT_ROW = insert(AuditLog.__table__).returning(AuditLog.__table__.c.id)


def record(
    action: str,
    entity: str,
    entity_id: object = None,
    changes: dict[str, Any] | None = None,
    *,
    actor: Any = None,
    context: dict[str, Any] | None = None,
    at_commit: bool = False,
) -> int | None:
    """Write an audit row in the current transaction and return its id; `context` carries
    ip/device/lat/lon. With `at_commit`, the row is written with the commit instead and no id is
    returned (see transactions.write_at_commit): on PostgreSQL that saves a hot phone action a round
    trip.

    The caller's transaction commits it together with the change, so a change never lands unaudited.
    A Core insert, not an ORM object: it runs on every phone action, and the unit-of-work flush of
    one object costs several times the insert itself.
    """
    ctx = {**context_provider(), **(context or {})}
    row = {
        "at": utcnow(),
        "user_id": getattr(actor, "id", None),
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "changes": changes,
        "ip": ctx.get("ip"),
        "device": (ctx.get("device") or "")[:256] or None,
        "lat": ctx.get("lat"),
        "lon": ctx.get("lon"),
    }
    if at_commit:
        write_at_commit(_INSERT, row)
        return None
    return db.session.execute(_INSERT_ROW, row).scalar_one()


@unit_of_work
def record_refusal(action: str, entity: str, changes: dict[str, Any], *, actor: Any = None) -> None:
    """Audit a refusal worth knowing about (DESIGN §6: a hand-made label, say) in a transaction of
    its own, committed before the refusal is answered, since that answer rolls the request back."""
    record(action, entity, None, changes, actor=actor)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed, JSON-safe."""
    return {k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if before.get(k) != v}


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool, list, dict)) else str(value)
