"""The inspections an order's stage requires (DESIGN §3, §7): awaiting QC only once every work order of
the order has passed its first-article inspection (首件检验), shipped only once every one has passed its
final inspection. "Passed" is the latest inspection of that kind: a failed re-check withdraws a pass.

order_service.transition consults `require_inspections`; the stage machine itself stays pure.
"""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from domain import stage_machine
from domain.errors import DomainError
from domain.production.models import WorkOrder
from domain.quality.inspections import FINAL, FIRST_ARTICLE, Inspection
from extensions import db

REQUIRED = {stage_machine.AWAITING_QC: FIRST_ARTICLE, stage_machine.SHIPPED: FINAL}
KIND_LABELS = {FIRST_ARTICLE: _l("first-article inspection"), FINAL: _l("final inspection")}
CODES = {FIRST_ARTICLE: "first_article_inspection_required", FINAL: "final_inspection_required"}


def latest_verdicts(order_ids: list[int], kind: str) -> dict[int, list[tuple[str, bool | None]]]:
    """order id → [(work order number, latest verdict of `kind` or None)], in one query."""
    latest = (
        select(Inspection.passed)
        .where(Inspection.work_order_id == WorkOrder.id, Inspection.kind == kind)
        .order_by(Inspection.at.desc(), Inspection.id.desc())
        .limit(1)
        .correlate(WorkOrder)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(WorkOrder.order_id, WorkOrder.number, latest)
        .where(WorkOrder.order_id.in_(order_ids))
        .order_by(WorkOrder.number)
    )
    found: dict[int, list[tuple[str, bool | None]]] = {}
    for order_id, number, passed in rows:
        found.setdefault(order_id, []).append((number, passed))
    return found


def passed_orders(order_ids: list[int], kind: str = FIRST_ARTICLE) -> set[int]:
    """The orders (of `order_ids`) whose every work order passed its latest `kind` inspection; for the
    dashboard's red, flashing "no passed first-article inspection" (DESIGN §9)."""
    verdicts = latest_verdicts(order_ids, kind)
    return {oid for oid, rows in verdicts.items() if rows and all(passed for _n, passed in rows)}


def inspections_passed(order: Any, to_stage: str) -> bool:
    """The same gate as a yes/no, for automatic moves (production's "last work order finished →
    awaiting QC") that should wait instead of refusing."""
    kind = REQUIRED.get(to_stage)
    if kind is None:
        return True
    rows = latest_verdicts([order.id], kind).get(order.id, [])
    return bool(rows) and all(passed for _number, passed in rows)


def require_inspections(order: Any, to_stage: str) -> None:
    """Refuse (409) a move into a stage whose inspection is missing or failed, naming it and the work
    orders that lack it."""
    kind = REQUIRED.get(to_stage)
    if kind is None:
        return
    rows = latest_verdicts([order.id], kind).get(order.id, [])
    lacking = [number for number, passed in rows if not passed]
    if rows and not lacking:
        return
    what = KIND_LABELS[kind]
    if not rows:
        message = _(
            "Order %(order)s has no work order, so no passed %(what)s.", order=order.number, what=what
        )
    else:
        message = _(
            "Order %(order)s cannot move on: no passed %(what)s for %(work_orders)s.",
            order=order.number,
            what=what,
            work_orders=", ".join(lacking),
        )
    error = DomainError(CODES[kind], message, {"to": message}, status=409)
    error.details = {"missing_inspection": kind, "work_orders": lacking}
    raise error
