"""The first-article gate of a stored work order (DESIGN §7): reads the product's switch and sample
quantity and the work order's first-article inspections, and applies first_article_rules to them —
for a report (refused, 409 `first_article_required`), for the leader's card, and for whoever asks
whether a work order waits for QC's first article."""

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.errors import DomainError, NotFound
from domain.production.models import WorkOrder
from domain.quality import first_article_rules as rules
from domain.quantities import plain
from extensions import db

CODE = "first_article_required"


def gate_of(work_order: WorkOrder) -> rules.Gate:
    product = work_order.product
    latest = max(work_order.first_article_inspections, key=lambda i: (i.at, i.id), default=None)
    return rules.Gate(
        required=product.needs_first_article,
        sample_qty=Decimal(product.first_article_qty),
        latest_passed=None if latest is None else latest.passed,
    )


def reported_good(work_order: WorkOrder) -> Decimal:
    """Good pieces counted against the sample: those of the first operation (the work order's own
    count when it has no operations)."""
    if work_order.operations:
        return work_order.operations[0].good_qty
    return work_order.good_qty


def require_for_report(work_order: WorkOrder, good: Decimal) -> None:
    """Refuse (409) good output beyond the sample while the first article has not passed."""
    gate = gate_of(work_order)
    reported = reported_good(work_order)
    if not rules.refuses(gate, reported, good):
        return
    left = rules.may_still_report(gate, reported)
    message = _(
        "First article: work order %(work_order)s may report %(sample)s good pieces before its "
        "first-article inspection (%(left)s more now). QC must pass the first-article inspection "
        "before mass production goes on.",
        work_order=work_order.number,
        sample=plain(gate.sample_qty),
        left=plain(left),
    )
    error = DomainError(CODE, message, {"good": message}, status=409)
    error.details = {"first_article": payload(work_order)}
    raise error


def sample_just_made(work_order: WorkOrder, good: Decimal) -> bool:
    """After a report of `good` pieces: did it complete the sample, so the work order now waits for
    QC? (Called once the report is counted; true for that one report only.)"""
    gate = gate_of(work_order)
    reported = reported_good(work_order)
    return rules.waiting_for_inspection(gate, reported) and not rules.waiting_for_inspection(
        gate, reported - good
    )


def payload(work_order: WorkOrder) -> dict[str, Any]:
    """The card's `first_article` block: why report may be refused, in plain JSON."""
    gate = gate_of(work_order)
    reported = reported_good(work_order)
    left = rules.may_still_report(gate, reported)
    return {
        "required": gate.required,
        "sample_qty": plain(gate.sample_qty),
        "status": gate.status if gate.required else None,
        "may_report": None if left is None else plain(left),
        "blocked": rules.waiting_for_inspection(gate, reported),
    }


def waiting_for_first_article(work_order_id: int) -> bool:
    """True when this work order has made its first-article sample and waits for QC to pass the
    inspection (what tells QC a first-article request is due)."""
    work_order = db.session.execute(
        select(WorkOrder)
        .options(
            selectinload(WorkOrder.product),
            selectinload(WorkOrder.operations),
            selectinload(WorkOrder.first_article_inspections),
        )
        .where(WorkOrder.id == work_order_id)
    ).scalar_one_or_none()
    if work_order is None:
        raise NotFound("work order", work_order_id)
    return rules.waiting_for_inspection(gate_of(work_order), reported_good(work_order))
