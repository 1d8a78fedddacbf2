"""Kitting per work order and the alert zone (DESIGN §5, §9), computed on read from the ledger balances,
reservations, transfers and schedules, so a stock move or a rescheduled work order shows at once.

Whatever the number of work orders, one call runs the same six grouped queries (work orders, BOM lines,
on-hand, requested transfers, reservations, issues) and applies domain/kitting/rules.py in memory. The
dashboard recomputes the alert zone (about a thousand work orders at plant scale) after stock moves, so
the in-memory part works once per BOM and per SKU where it can, not per work order line (bench/dashboard.py).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from domain import audit
from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.kitting import rules
from domain.kitting.reservations import MaterialReservation
from domain.masterdata import BomLine, Product, Sku
from domain.orders.models import Order
from domain.production.models import OPEN_WORK_ORDER, WorkOrder, WorkOrderMaterial
from domain.quantities import plain
from domain.stock.ledger import ISSUE, StockBalance, StockMove
from domain.stock.transfers import REQUESTED, Transfer
from domain.transactions import write_transaction
from extensions import db

ALERT_DAYS = 7
ZERO = Decimal(0)
# `status IN (…)` rather than `!= finished`: the (status, planned_start) index then reads only the
# unfinished work orders' start range instead of every work order's.
UNFINISHED = OPEN_WORK_ORDER


@dataclass(frozen=True)
class KittingLine:
    sku: str
    name: str
    unit: str
    status: rules.LineStatus
    # The customer's spec changed and no material of the new spec is known: the planner re-kits it.
    needs_rekitting: bool = False

    def as_dict(self) -> dict[str, Any]:
        s = self.status
        return {
            "sku": self.sku,
            "name": self.name,
            "unit": self.unit,
            "required": s.required,
            "issued": s.issued,
            "still_needed": s.still_needed,
            "available": s.available,
            "short": s.short,
            "covered": s.covered and not self.needs_rekitting,
            "needs_rekitting": self.needs_rekitting,
        }


@dataclass(frozen=True)
class WorkOrderKitting:
    work_order_id: int
    number: str
    order: str
    product: str
    quantity: Decimal
    planned_start: datetime | None
    status: str
    lines: list[KittingLine]

    @cached_property  # the lines never change; the alert zone and the dashboard both ask
    def rate(self) -> Decimal:
        return rules.kitting_rate([line.status for line in self.lines])

    @property
    def missing(self) -> list[KittingLine]:
        return [line for line in self.lines if not line.status.covered]

    def as_dict(self) -> dict[str, Any]:
        return {
            "work_order_id": self.work_order_id,
            "work_order": self.number,
            "order": self.order,
            "product": self.product,
            "quantity": self.quantity,
            "planned_start": self.planned_start,
            "status": self.status,
            "kitting_rate": self.rate,
            "lines": [line.as_dict() for line in self.lines],
            "missing": [{"sku": m.sku, "short": m.status.short, "unit": m.unit} for m in self.missing],
        }


def for_work_order(work_order_id: int) -> WorkOrderKitting:
    found = compute(WorkOrder.id == work_order_id)
    if not found:
        raise NotFound("work order", work_order_id)
    return found[0]


def for_order(order_id: int) -> list[WorkOrderKitting]:
    return compute(WorkOrder.order_id == order_id, WorkOrder.status.in_(UNFINISHED))


def alert_zone(days: int = ALERT_DAYS, now: datetime | None = None) -> list[WorkOrderKitting]:
    """Unfinished work orders planned to start within `days` (or already due to have started), kitted
    below 100%, earliest start first."""
    horizon = (now or utcnow()) + timedelta(days=days)
    started_by_then = (WorkOrder.planned_start.is_not(None), WorkOrder.planned_start <= horizon)
    candidates = compute(WorkOrder.status.in_(UNFINISHED), *started_by_then)
    return [k for k in candidates if k.rate < 1]


def compute(*conditions) -> list[WorkOrderKitting]:
    work_orders = db.session.execute(
        select(
            WorkOrder.id,
            WorkOrder.number,
            Order.number.label("order"),
            Product.model,
            WorkOrder.quantity,
            WorkOrder.planned_start,
            WorkOrder.status,
            WorkOrder.bom_version_id,
        )
        .join(Order, Order.id == WorkOrder.order_id)
        .join(Product, Product.id == WorkOrder.product_id)
        .where(*conditions)
        .order_by(WorkOrder.planned_start.is_(None), WorkOrder.planned_start, WorkOrder.number)
    ).all()
    if not work_orders:
        return []
    bom_lines = _bom_lines({wo.bom_version_id for wo in work_orders})
    swapped = _spec_swaps({wo.id for wo in work_orders})
    sku_ids = {line.sku_id for lines in bom_lines.values() for line in lines}
    sku_ids |= {sku.id for swaps in swapped.values() for sku in swaps.values() if sku is not None}
    facts = _stock_facts(sku_ids)
    issued = _issued({wo.number for wo in work_orders} | facts.reserving_numbers, sku_ids)
    open_reserved: dict[int, dict[int, Decimal]] = defaultdict(dict)  # sku → work order → still held
    for (wo_id, number, sku_id), reserved in facts.reserved.items():
        open_reserved[sku_id][wo_id] = rules.open_reservation(reserved, issued.get((number, sku_id), ZERO))
    needs = {bom_id: _needs(lines) for bom_id, lines in bom_lines.items()}
    # What is available to a work order depends on the work order only where some work order holds a
    # reservation of the SKU; elsewhere it is one number per SKU.
    shared: dict[int, Decimal] = {}
    result = []
    for wo in work_orders:
        lines = []
        for bom_sku_id, parts, bom_sku in needs.get(wo.bom_version_id, ()):
            sku = swapped.get(wo.id, {}).get(bom_sku_id, bom_sku)
            sku_id = bom_sku_id if sku is None or sku is bom_sku else sku.id
            required = ZERO
            for qty_per, scrap_pct in parts:  # a SKU on two lines of a BOM is one need
                required += rules.required_qty(qty_per, scrap_pct, wo.quantity)
            held = open_reserved.get(sku_id)
            available = shared.get(sku_id) if not held else None
            if available is None:
                available = rules.available_for(
                    facts.on_hand.get(sku_id, ZERO), facts.requested_out.get(sku_id, ZERO), held or {}, wo.id
                )
                if not held:
                    shared[sku_id] = available
            if sku is None:  # flagged for re-kitting: the old material counts for nothing
                status = rules.line_status(sku_id, required, ZERO, ZERO)
                lines.append(
                    KittingLine(bom_sku.code, bom_sku.name, bom_sku.unit, status, needs_rekitting=True)
                )
                continue
            status = rules.line_status(sku_id, required, issued.get((wo.number, sku_id), ZERO), available)
            lines.append(KittingLine(sku.code, sku.name, sku.unit, status))
        result.append(
            WorkOrderKitting(
                wo.id, wo.number, wo.order, wo.model, wo.quantity, wo.planned_start, wo.status, lines
            )
        )
    return result


def _needs(bom_lines: list[Any]) -> list[tuple[int, list[tuple[Decimal, Decimal | None]], Any]]:
    """A BOM's lines as (SKU, its (quantity per, scrap %) lines, its code/name/unit), in BOM order."""
    by_sku: dict[int, list[tuple[Decimal, Decimal | None]]] = defaultdict(list)
    rows = {}
    for line in bom_lines:
        by_sku[line.sku_id].append((line.qty_per, line.scrap_pct))
        rows[line.sku_id] = line
    return [(sku_id, parts, rows[sku_id]) for sku_id, parts in by_sku.items()]


# ---- grouped reads ----


def _spec_swaps(work_order_ids: set[int]) -> dict[int, dict[int, Any]]:
    """work order → {BOM SKU id: the SKU row its spec change asks for, or None to re-kit}."""
    rows = db.session.execute(
        select(WorkOrderMaterial.work_order_id, WorkOrderMaterial.bom_sku_id, Sku)
        .outerjoin(Sku, Sku.id == WorkOrderMaterial.sku_id)
        .where(WorkOrderMaterial.work_order_id.in_(work_order_ids))
    )
    found: dict[int, dict[int, Any]] = defaultdict(dict)
    for work_order_id, bom_sku_id, sku in rows:
        found[work_order_id][bom_sku_id] = sku
    return found


def _bom_lines(bom_ids: set[int]) -> dict[int, list[Any]]:
    """BOM version → its lines with their SKU's code, name and unit."""
    rows = db.session.execute(
        select(
            BomLine.bom_id, BomLine.sku_id, BomLine.qty_per, BomLine.scrap_pct, Sku.code, Sku.name, Sku.unit
        )
        .join(Sku, Sku.id == BomLine.sku_id)
        .where(BomLine.bom_id.in_(bom_ids))
        .order_by(BomLine.bom_id, BomLine.id)
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.bom_id].append(row)
    return found


@dataclass(frozen=True)
class _StockFacts:
    on_hand: dict[int, Decimal]
    requested_out: dict[int, Decimal]
    reserved: dict[tuple[int, str, int], Decimal]  # (work order id, number, sku) → reserved

    @property
    def reserving_numbers(self) -> set[str]:
        return {number for _wo, number, _sku in self.reserved}


def _stock_facts(sku_ids: set[int]) -> _StockFacts:
    on_hand = dict(
        db.session.execute(
            select(StockBalance.sku_id, func.sum(StockBalance.qty))
            .where(StockBalance.sku_id.in_(sku_ids))
            .group_by(StockBalance.sku_id)
        ).all()
    )
    requested = dict(
        db.session.execute(
            select(Transfer.sku_id, func.sum(Transfer.qty))
            .where(Transfer.sku_id.in_(sku_ids), Transfer.state == REQUESTED)
            .group_by(Transfer.sku_id)
        ).all()
    )
    reserved = {
        (wo_id, number, sku_id): qty
        for wo_id, number, sku_id, qty in db.session.execute(
            select(
                WorkOrder.id, WorkOrder.number, MaterialReservation.sku_id, func.sum(MaterialReservation.qty)
            )
            .join(WorkOrder, WorkOrder.id == MaterialReservation.work_order_id)
            .where(
                MaterialReservation.sku_id.in_(sku_ids),
                MaterialReservation.released_at.is_(None),
                WorkOrder.status.in_(UNFINISHED),  # a finished or stopped one holds nothing back
            )
            .group_by(WorkOrder.id, WorkOrder.number, MaterialReservation.sku_id)
        )
    }
    return _StockFacts(_decimals(on_hand), _decimals(requested), _decimals(reserved))


def _issued(numbers: set[str], sku_ids: set[int]) -> dict[tuple[str, int], Decimal]:
    """(work order number, SKU) → quantity issued to it: issue moves name their work order as `ref`."""
    if not numbers or not sku_ids:
        return {}
    # The SKUs are picked here, not in SQL: the ledger is searched by `ref` alone, and an index that also
    # held `sku_id` would otherwise be probed once per work order × SKU (bench/README.md, Dashboards).
    rows = db.session.execute(
        select(StockMove.ref, StockMove.sku_id, func.sum(StockMove.qty))
        .where(StockMove.kind == ISSUE, StockMove.ref.in_(numbers))
        .group_by(StockMove.ref, StockMove.sku_id)
    )
    return {(ref, sku_id): -Decimal(total) for ref, sku_id, total in rows if sku_id in sku_ids}


def _decimals(values: dict) -> dict:
    """SUM keeps the quantity type (Decimal); an empty group's NULL becomes 0."""
    return {k: _qty(v) for k, v in values.items()}


def _qty(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value or 0)


# ---- reservations ----


def reserve(work_order_id: int, sku_code: str, qty: Decimal, actor: Any) -> MaterialReservation:
    """Hold material for a work order; refused beyond what is available to it (nobody can hold stock
    twice)."""
    from domain.quantities import quantity

    amount = quantity(qty)
    if amount <= 0:
        raise DomainError("invalid_quantity", _("The quantity must be more than 0."), {"qty": _("> 0")})
    with write_transaction():
        work_order = db.session.get(WorkOrder, work_order_id)
        if work_order is None:
            raise NotFound("work order", work_order_id)
        sku = db.session.execute(select(Sku).where(Sku.code == sku_code.strip())).scalar_one_or_none()
        if sku is None:
            raise DomainError(
                "unknown_sku", _("There is no SKU %(code)s.", code=sku_code), {"sku": _("unknown SKU")}
            )
        free = free_to_reserve(work_order, sku.id)
        if amount > free:
            message = _(
                "Only %(free)s of %(sku)s can still be reserved.", free=plain(max(free, ZERO)), sku=sku.code
            )
            raise DomainError("insufficient_stock", message, {"qty": message})
        row = MaterialReservation(
            work_order_id=work_order.id, sku_id=sku.id, qty=amount, created_by_id=getattr(actor, "id", None)
        )
        db.session.add(row)
        db.session.flush()
        audit.record(
            "material_reserved",
            "work_order",
            work_order.id,
            {"sku": sku.code, "qty": str(amount)},
            actor=actor,
        )
    return row


def free_to_reserve(work_order: WorkOrder, sku_id: int) -> Decimal:
    facts = _stock_facts({sku_id})
    issued = _issued(facts.reserving_numbers, {sku_id})
    held = {
        wo_id: rules.open_reservation(q, issued.get((number, sku_id), ZERO))
        for (wo_id, number, _s), q in facts.reserved.items()
    }
    # everyone's open reservations count here, this work order's own included: it cannot hold a kilo twice
    return facts.on_hand.get(sku_id, ZERO) - facts.requested_out.get(sku_id, ZERO) - sum(held.values(), ZERO)


def release(reservation_id: int, actor: Any) -> MaterialReservation:
    with write_transaction():
        row = db.session.get(MaterialReservation, reservation_id)
        if row is None:
            raise NotFound("reservation", reservation_id)
        if row.released_at is None:
            row.released_at = utcnow()
            audit.record(
                "material_released", "work_order", row.work_order_id, {"reservation": row.id}, actor=actor
            )
    return row


def reservations_of(work_order_id: int) -> list[dict[str, Any]]:
    if db.session.get(WorkOrder, work_order_id) is None:
        raise NotFound("work order", work_order_id)
    rows = db.session.execute(
        select(MaterialReservation, Sku.code)
        .join(Sku, Sku.id == MaterialReservation.sku_id)
        .where(MaterialReservation.work_order_id == work_order_id)
        .order_by(MaterialReservation.id)
    )
    return [
        {
            "id": r.id,
            "sku": code,
            "qty": r.qty,
            "created_at": r.created_at,
            "released_at": r.released_at,
            "release_reason": r.release_reason,
        }
        for r, code in rows
    ]


def available_by_sku(sku_ids: set[int]) -> dict[int, Decimal]:
    """Available to a new requirement (no reservation of its own): on hand − every open reservation −
    transfers requested out."""
    facts = _stock_facts(sku_ids)
    issued = _issued(facts.reserving_numbers, sku_ids)
    held: dict[int, Decimal] = defaultdict(Decimal)
    for (_wo, number, sku_id), reserved in facts.reserved.items():
        held[sku_id] += rules.open_reservation(reserved, issued.get((number, sku_id), ZERO))
    return {
        sku_id: facts.on_hand.get(sku_id, ZERO) - facts.requested_out.get(sku_id, ZERO) - held[sku_id]
        for sku_id in sku_ids
    }


def order_rate(order_id: int) -> Decimal | None:
    """The kitting rate of an order's unfinished work orders together (covered lines / all lines);
    None when it has none yet."""
    work_orders = for_order(order_id)
    if not work_orders:
        return None
    statuses = [line.status for k in work_orders for line in k.lines]
    return rules.kitting_rate(statuses)
