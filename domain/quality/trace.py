"""Trace (追溯, DESIGN §7): backward from an order or a lot to everything it was made from, forward from a
lot to every work order, order, shipment and customer it reached.

Each direction is one recursive query (`WITH RECURSIVE`) over the `lot_edge` list, the same SQL on SQLite
and PostgreSQL, which answers the ids of every lot reached; then one query per kind of thing touched
(lots, work orders, orders, shipments, serials), each over those ids in IN lists of up to 5,000. Nothing
here walks the graph with a query per lot, so the cost follows the size of the answer, not of the
history.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select, union
from sqlalchemy.sql.selectable import CTE

from domain.errors import NotFound
from domain.masterdata import Customer, Product, Sku
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality.lots import Lot, LotConsumption, LotEdge
from domain.quality.shipments import SerialNumber, Shipment, ShipmentLine
from extensions import db

FORWARD, BACKWARD = "forward", "backward"
LOT, SKU, WO, ORDER = Lot.__table__, Sku.__table__, WorkOrder.__table__, Order.__table__
CUSTOMER, PRODUCT, CONSUMPTION, EDGE = (
    Customer.__table__,
    Product.__table__,
    LotConsumption.__table__,
    LotEdge.__table__,
)
SHIPMENT, LINE, SERIAL = Shipment.__table__, ShipmentLine.__table__, SerialNumber.__table__
CHUNK = 5000  # ids per IN list: far below SQLite's and PostgreSQL's bound-parameter limits


@dataclass
class Trace:
    direction: str
    origin: dict[str, Any]
    lots: list[dict[str, Any]] = field(default_factory=list)
    work_orders: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    shipments: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "origin": self.origin,
            "lots": self.lots,
            "work_orders": self.work_orders,
            "orders": self.orders,
            "shipments": self.shipments,
            "customers": self.customers,
        }


# ---- the recursive part ----


def reach(seed: Select, direction: str) -> CTE:
    """Every lot id reachable from `seed` (a select of one `lot_id` column), seeds included. UNION (not
    UNION ALL) drops lots already reached, so a lot met twice is walked once and bad data with a cycle
    still ends."""
    walked = seed.cte("reach", recursive=True)
    if direction == FORWARD:
        step = select(EDGE.c.child_id).join(walked, EDGE.c.parent_id == walked.c.lot_id)
    else:
        step = select(EDGE.c.parent_id).join(walked, EDGE.c.child_id == walked.c.lot_id)
    return walked.union(step)


def reached_ids(seed: Select, direction: str) -> list[int]:
    """The lot ids `reach` finds, fetched once: every set reader below takes them."""
    walked = reach(seed, direction)
    return list(db.session.execute(select(walked.c.lot_id)).scalars())


# ---- entry points ----


def forward_from_lots(lot_ids: list[int], origin: dict[str, Any] | None = None) -> Trace:
    """Everything the lots went into: lots made from them, the work orders that consumed or made any of
    those, their orders, the shipments that carried them and those shipments' customers."""
    ids = reached_ids(select(LOT.c.id.label("lot_id")).where(LOT.c.id.in_(lot_ids)), FORWARD)
    lots = _lots(ids)
    consumed_by = _rows(
        lambda part: select(CONSUMPTION.c.work_order_id).where(CONSUMPTION.c.lot_id.in_(part)), ids
    )
    work_order_ids = {lot["work_order_id"] for lot in lots if lot["work_order_id"]} | {
        r[0] for r in consumed_by
    }
    shipments = _shipments(lambda part: LINE.c.lot_id.in_(part), ids)
    work_orders = _work_orders(work_order_ids)
    order_ids = {w["order_id"] for w in work_orders} | {s["order_id"] for s in shipments}
    return Trace(
        FORWARD,
        origin or {"lot_ids": lot_ids},
        lots=lots,
        work_orders=work_orders,
        orders=_orders(order_ids),
        shipments=shipments,
        customers=_customers(shipments),
    )


def backward_from_lots(lot_ids: list[int], origin: dict[str, Any] | None = None) -> Trace:
    """Everything the lots were made from, down to the suppliers' lots, and the work orders that made
    them (with their orders)."""
    ids = reached_ids(select(LOT.c.id.label("lot_id")).where(LOT.c.id.in_(lot_ids)), BACKWARD)
    lots = _lots(ids)
    work_orders = _work_orders({lot["work_order_id"] for lot in lots if lot["work_order_id"]})
    return Trace(
        BACKWARD,
        origin or {"lot_ids": lot_ids},
        lots=lots,
        work_orders=work_orders,
        orders=_orders({w["order_id"] for w in work_orders}),
    )


def backward_from_order(order_id: int) -> Trace:
    """Order → its work orders → their output lots and the material lots they consumed → everything
    those were made from (material lots, suppliers' lots). The order's own shipments come along."""
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound("order", order_id)
    its_work_orders = select(WO.c.id).where(WO.c.order_id == order_id)
    seed = union(
        select(LOT.c.id.label("lot_id")).where(LOT.c.work_order_id.in_(its_work_orders)),
        select(CONSUMPTION.c.lot_id.label("lot_id")).where(CONSUMPTION.c.work_order_id.in_(its_work_orders)),
    )
    ids = reached_ids(select(seed.subquery().c.lot_id), BACKWARD)
    work_orders = _work_orders(set(db.session.execute(its_work_orders).scalars()))
    shipments = _shipments(lambda _part: SHIPMENT.c.order_id == order_id, [order_id])
    return Trace(
        BACKWARD,
        {"order_id": order.id, "order": order.number},
        lots=_lots(ids),
        work_orders=work_orders,
        orders=_orders({order_id}),
        shipments=shipments,
        customers=_customers(shipments),
    )


def find_lot(code: str, sku: str | None = None) -> Lot:
    """A lot by its code (and SKU code when the code alone is ambiguous); plant lots before a
    supplier's batch number with the same text."""
    query = select(Lot).join(Sku, Sku.id == Lot.sku_id).where(Lot.code == code.strip())
    if sku:
        query = query.where(Sku.code == sku.strip())
    found = db.session.execute(query.order_by((Lot.kind == "supplier").asc(), Lot.id).limit(1)).scalar()
    if found is None:
        raise NotFound("lot", code)
    return found


def lot_origin(lot: Lot) -> dict[str, Any]:
    return {"lot_id": lot.id, "lot": lot.code, "sku": lot.sku.code, "kind": lot.kind}


# ---- set readers: one query per 5,000 ids (Core statements: no ORM objects for thousands of rows) ----


def _rows(query_for: Callable[[list[int]], Select], ids: Iterable[int]) -> list[Any]:
    ordered = sorted(set(ids))
    rows: list[Any] = []
    for start in range(0, len(ordered), CHUNK):
        rows.extend(db.session.execute(query_for(ordered[start : start + CHUNK])).all())
    return rows


def _dicts(keys: tuple[str, ...], rows: list[Any], sort_key: Callable) -> list[dict[str, Any]]:
    return sorted((dict(zip(keys, row, strict=True)) for row in rows), key=sort_key)


def _lots(ids: list[int]) -> list[dict[str, Any]]:
    query = (
        select(
            LOT.c.id,
            LOT.c.code,
            LOT.c.kind,
            LOT.c.supplier,
            LOT.c.qty,
            SKU.c.code,
            WO.c.number,
            LOT.c.work_order_id,
        )
        .join(SKU, SKU.c.id == LOT.c.sku_id)
        .outerjoin(WO, WO.c.id == LOT.c.work_order_id)
    )
    keys = ("id", "code", "kind", "supplier", "qty", "sku", "work_order", "work_order_id")
    rows = _rows(lambda part: query.where(LOT.c.id.in_(part)), ids)
    return _dicts(keys, rows, lambda r: (r["kind"], r["sku"], r["code"]))


def _work_orders(ids: set[int]) -> list[dict[str, Any]]:
    query = (
        select(
            WO.c.id, WO.c.number, WO.c.status, WO.c.quantity, ORDER.c.number, PRODUCT.c.model, WO.c.order_id
        )
        .join(ORDER, ORDER.c.id == WO.c.order_id)
        .join(PRODUCT, PRODUCT.c.id == WO.c.product_id)
    )
    keys = ("id", "number", "status", "quantity", "order", "product", "order_id")
    return _dicts(keys, _rows(lambda part: query.where(WO.c.id.in_(part)), ids), lambda r: r["number"])


def _orders(ids: set[int]) -> list[dict[str, Any]]:
    query = (
        select(
            ORDER.c.id,
            ORDER.c.number,
            ORDER.c.stage,
            ORDER.c.due_date,
            CUSTOMER.c.code,
            CUSTOMER.c.name,
            PRODUCT.c.model,
        )
        .join(CUSTOMER, CUSTOMER.c.id == ORDER.c.customer_id)
        .join(PRODUCT, PRODUCT.c.id == ORDER.c.product_id)
    )
    keys = ("id", "number", "stage", "due_date", "customer_code", "customer_name", "product")
    return _dicts(keys, _rows(lambda part: query.where(ORDER.c.id.in_(part)), ids), lambda r: r["number"])


def _shipments(condition_for: Callable[[list[int]], Any], ids: Iterable[int]) -> list[dict[str, Any]]:
    """Shipments with their lines matching `condition_for(chunk of ids)`, their lots and serials."""
    query = (
        select(
            SHIPMENT.c.id,
            SHIPMENT.c.number,
            SHIPMENT.c.ship_date,
            ORDER.c.number,
            SHIPMENT.c.order_id,
            CUSTOMER.c.id,
            CUSTOMER.c.code,
            CUSTOMER.c.name,
            LINE.c.id,
            SKU.c.code,
            LOT.c.code,
            LINE.c.qty,
        )
        .join(LINE, LINE.c.shipment_id == SHIPMENT.c.id)
        .join(ORDER, ORDER.c.id == SHIPMENT.c.order_id)
        .join(CUSTOMER, CUSTOMER.c.id == SHIPMENT.c.customer_id)
        .join(SKU, SKU.c.id == LINE.c.sku_id)
        .outerjoin(LOT, LOT.c.id == LINE.c.lot_id)
    )
    rows = sorted(_rows(lambda part: query.where(condition_for(part)), ids), key=lambda r: (r[2], r[1], r[8]))
    serials: dict[int, list[str]] = {}
    serial_query = select(SERIAL.c.shipment_line_id, SERIAL.c.serial)
    for line_id, serial in _rows(
        lambda part: serial_query.where(SERIAL.c.shipment_line_id.in_(part)), [r[8] for r in rows]
    ):
        serials.setdefault(line_id, []).append(serial)
    shipments: dict[int, dict[str, Any]] = {}
    for sid, number, ship_date, order, order_id, cid, ccode, cname, line_id, sku, lot, qty in rows:
        entry = shipments.setdefault(
            sid,
            {
                "id": sid,
                "number": number,
                "ship_date": ship_date,
                "order": order,
                "order_id": order_id,
                "customer_id": cid,
                "customer_code": ccode,
                "customer_name": cname,
                "lines": [],
            },
        )
        entry["lines"].append(
            {"sku": sku, "lot": lot, "qty": qty, "serials": sorted(serials.get(line_id, []))}
        )
    return list(shipments.values())


def _customers(shipments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for s in shipments:
        seen.setdefault(
            s["customer_id"], {"id": s["customer_id"], "code": s["customer_code"], "name": s["customer_name"]}
        )
    return sorted(seen.values(), key=lambda c: c["code"])
