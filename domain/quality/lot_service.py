"""Lots made by scanning (DESIGN §6, §7): a receipt turns a supplier's batch into a plant material lot,
an issue records which material lot a work order consumed, an output creates the work order's lot.

Each is one stock move through the scanner's own checks (signed location label, GPS inside the fence,
domain/stock/moves.py) plus the lot facts, in one write transaction: a refused scan records neither.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from domain import audit, keyset
from domain.clock import utcnow
from domain.errors import DomainError
from domain.masterdata import Product, Sku
from domain.production.models import WorkOrder
from domain.quality.lots import (
    MADE_INTO,
    MATERIAL,
    OUTPUT,
    RECEIVED_AS,
    SUPPLIER,
    Lot,
    LotConsumption,
    LotEdge,
)
from domain.stock.gps_fixes import GpsInput
from domain.stock.ledger import ISSUE, RECEIPT
from domain.stock.ledger import OUTPUT as OUTPUT_MOVE
from domain.stock.moves import MoveRequest, MoveResult, apply_move
from domain.transactions import write_transaction
from extensions import db

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Scan:
    """Where the worker stands: the scanned location label and the phone's fix."""

    location_label: str
    gps: GpsInput
    warehouse: str | None = None


@dataclass(frozen=True)
class LotMove:
    lot_id: int
    lot: str
    sku: str
    kind: str
    work_order: str | None
    move: MoveResult


def receive_material(
    sku: str, qty: Decimal, supplier: str, supplier_lot: str, scan: Scan, actor: Any, lot: str = ""
) -> LotMove:
    """A receipt of a supplier's batch: the plant's material lot (`lot`, or a new code) received as
    stock, linked to the supplier lot it came from."""
    supplier, supplier_lot = supplier.strip(), supplier_lot.strip()
    if not supplier_lot:
        message = _("Enter the supplier's lot number from the bag or box.")
        raise DomainError("supplier_lot_required", message, {"supplier_lot": message})
    with write_transaction():
        sku_row = _sku(sku)
        code = lot.strip() or _new_material_code()
        material = _lot(sku_row.id, MATERIAL, code, actor)
        source = _lot(sku_row.id, SUPPLIER, supplier_lot, actor, supplier=supplier)
        move = apply_move(_request(RECEIPT, sku_row.code, qty, scan, code), actor)
        material.qty += move.qty
        source.qty += move.qty
        _link([source.id], material.id, RECEIVED_AS, None)
        audit.record(
            "lot_received",
            "lot",
            material.id,
            {"lot": code, "supplier": supplier, "supplier_lot": supplier_lot, "qty": str(move.qty)},
            actor=actor,
            context=scan.gps.context(),
        )
        return LotMove(material.id, code, sku_row.code, MATERIAL, None, move)


def issue_to_work_order(sku: str, lot: str, qty: Decimal, work_order: str, scan: Scan, actor: Any) -> LotMove:
    """Material lot scanned out to a work order: the issue move, the consumption, and the genealogy
    edge to every lot the work order has already produced."""
    with write_transaction():
        order = _work_order(work_order)
        sku_row = _sku(sku)
        code = lot.strip()
        if not code:
            message = _("Scan the lot label of the material: a work order records the lots it used.")
            raise DomainError("lot_required", message, {"lot": message})
        material = _existing_plant_lot(sku_row.id, code) or _lot(sku_row.id, MATERIAL, code, actor)
        move = apply_move(_request(ISSUE, sku_row.code, qty, scan, code, ref=order.number), actor)
        db.session.add(
            LotConsumption(
                work_order_id=order.id,
                lot_id=material.id,
                qty=-move.qty,
                stock_move_id=move.id,
                user_id=getattr(actor, "id", None),
            )
        )
        outputs = select(Lot.id).where(Lot.work_order_id == order.id, Lot.kind == OUTPUT)
        for output_id in db.session.execute(outputs).scalars():
            _link([material.id], output_id, MADE_INTO, order.id)
        audit.record(
            "lot_issued",
            "work_order",
            order.id,
            {"lot": code, "sku": sku_row.code, "qty": str(-move.qty)},
            actor=actor,
            context=scan.gps.context(),
        )
        return LotMove(material.id, code, sku_row.code, MATERIAL, order.number, move)


def record_output(work_order: str, qty: Decimal, scan: Scan, actor: Any) -> LotMove:
    """A work order's good output put into stock as a new lot `<work order>-NN` of the product's
    finished-goods SKU (the SKU whose code is the product model), made from every lot it consumed."""
    with write_transaction():
        order = _work_order(work_order)
        model = db.session.execute(select(Product.model).where(Product.id == order.product_id)).scalar_one()
        sku_row = _finished_sku(model)
        made = db.session.execute(
            select(func.count(Lot.id)).where(Lot.work_order_id == order.id, Lot.kind == OUTPUT)
        ).scalar_one()
        code = f"{order.number}-{made + 1:02d}"
        output = _lot(sku_row.id, OUTPUT, code, actor, work_order_id=order.id)
        move = apply_move(_request(OUTPUT_MOVE, sku_row.code, qty, scan, code, ref=order.number), actor)
        output.qty = move.qty
        consumed = select(LotConsumption.lot_id).where(LotConsumption.work_order_id == order.id).distinct()
        _link(list(db.session.execute(consumed).scalars()), output.id, MADE_INTO, order.id)
        audit.record(
            "lot_output",
            "work_order",
            order.id,
            {"lot": code, "sku": sku_row.code, "qty": str(move.qty)},
            actor=actor,
            context=scan.gps.context(),
        )
        return LotMove(output.id, code, sku_row.code, OUTPUT, order.number, move)


# ---- pieces ----


def _request(kind: str, sku: str, qty: Decimal, scan: Scan, lot: str, ref: str | None = None) -> MoveRequest:
    return MoveRequest(
        kind=kind,
        sku=sku,
        qty=qty,
        location_label=scan.location_label,
        gps=scan.gps,
        lot=lot,
        ref=ref,
        warehouse=scan.warehouse,
    )


def _link(parent_ids: list[int], child_id: int, kind: str, work_order_id: int | None) -> None:
    """Add parent → child edges; an edge that exists already is kept as it is (one row per pair)."""
    if not parent_ids:
        return
    insert = _INSERT[db.session.get_bind().dialect.name]
    rows = [
        {"parent_id": p, "child_id": child_id, "kind": kind, "work_order_id": work_order_id, "at": utcnow()}
        for p in parent_ids
    ]
    db.session.execute(
        insert(LotEdge).values(rows).on_conflict_do_nothing(index_elements=["parent_id", "child_id"])
    )


def _lot(
    sku_id: int, kind: str, code: str, actor: Any, supplier: str = "", work_order_id: int | None = None
) -> Lot:
    found = db.session.execute(
        select(Lot).where(Lot.sku_id == sku_id, Lot.kind == kind, Lot.supplier == supplier, Lot.code == code)
    ).scalar_one_or_none()
    if found is not None:
        return found
    lot = Lot(
        sku_id=sku_id,
        kind=kind,
        code=code,
        supplier=supplier,
        work_order_id=work_order_id,
        qty=Decimal(0),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(lot)
    db.session.flush()
    return lot


def _existing_plant_lot(sku_id: int, code: str) -> Lot | None:
    return db.session.execute(
        select(Lot).where(Lot.sku_id == sku_id, Lot.code == code, Lot.kind != SUPPLIER).limit(1)
    ).scalar()


def _new_material_code() -> str:
    """M<yymmdd>-<4 hex>: short enough to read off a label, random enough not to repeat within a day."""
    return f"M{utcnow():%y%m%d}-{secrets.token_hex(2).upper()}"


def _sku(code: str) -> Sku:
    found = db.session.execute(select(Sku).where(Sku.code == code.strip(), Sku.active.is_(True))).scalar()
    if found is None:
        raise DomainError("unknown_sku", _("There is no SKU %(code)s.", code=code), {"sku": _("unknown SKU")})
    return found


def _finished_sku(model: str) -> Sku:
    found = db.session.execute(select(Sku).where(Sku.code == model, Sku.active.is_(True))).scalar()
    if found is None:
        message = _("Product %(model)s has no finished-goods SKU with the same code.", model=model)
        raise DomainError("no_finished_sku", message, {"work_order": message})
    return found


def _work_order(number: str) -> WorkOrder:
    # Row-locked on PostgreSQL (SQLite writes are serialised anyway): two outputs of one work order at
    # the same moment must not both take the next lot number.
    query = select(WorkOrder).where(WorkOrder.number == number.strip()).with_for_update(of=WorkOrder)
    found = db.session.execute(query).scalar()
    if found is None:
        message = _("There is no work order %(number)s.", number=number)
        raise DomainError("unknown_work_order", message, {"work_order": message})
    return found


def lot_page(code: str | None, sku: str | None, limit: int, cursor: str | None) -> keyset.Page:
    """Lots in the order they were made, optionally of one code and SKU, a page at a time."""
    stmt = select(Lot).join(Sku, Sku.id == Lot.sku_id)
    if code and code.strip():
        stmt = stmt.where(Lot.code == code.strip())
    if sku and sku.strip():
        stmt = stmt.where(Sku.code == sku.strip())
    return keyset.by_id(stmt, Lot.id, scope="lots", limit=limit, cursor=cursor, newest_first=False)
