"""Lots and their genealogy (DESIGN §7): which lot was made from which.

A lot is identified in stock by (SKU, lot code), the same pair the stock ledger carries in
`StockMove.lot`. Kinds:

- ``supplier``: the supplier's own batch number of a purchased material, as printed on its bag;
- ``material``: the plant's lot of a received material (one receipt of one supplier lot);
- ``output``: a batch a work order produced (its finished-goods lot).

`LotEdge` is the genealogy as a plain edge list (parent was received as / made into child), which a
recursive query (`WITH RECURSIVE`, domain/quality/trace.py) walks in either direction on SQLite and
PostgreSQL. `LotConsumption` records every scanned issue of a lot to a work order, so a work order's
material is known before it has produced anything.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.masterdata import Sku
from domain.quantities import ExactQty
from extensions import db

SUPPLIER, MATERIAL, OUTPUT = "supplier", "material", "output"
LOT_KINDS = (SUPPLIER, MATERIAL, OUTPUT)
RECEIVED_AS, MADE_INTO = "received_as", "made_into"  # edge kinds


class Lot(db.Model):
    __table_args__ = (
        # A supplier's batch numbers are theirs: two suppliers may use the same one.
        UniqueConstraint("sku_id", "kind", "supplier", "code", name="uq_lot_sku_kind_supplier_code"),
        Index("ix_lot_code", "code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    kind: Mapped[str] = mapped_column(String(16))
    supplier: Mapped[str] = mapped_column(String(100), default="")  # supplier lots only
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_order.id"), index=True)  # output
    qty: Mapped[Decimal] = mapped_column(ExactQty, default=Decimal(0))  # as created (received / made)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sku: Mapped[Sku] = relationship()


class LotEdge(db.Model):
    """`parent` went into `child`: a supplier lot received as a material lot, or a material lot made
    into an output lot by `work_order_id`. One row per pair, whatever the number of scans."""

    __table_args__ = (
        UniqueConstraint("parent_id", "child_id", name="uq_lot_edge_parent_child"),
        Index("ix_lot_edge_child_parent", "child_id", "parent_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("lot.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("lot.id"))
    kind: Mapped[str] = mapped_column(String(16))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_order.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class LotConsumption(db.Model):
    """A scanned issue of a material lot to a work order (the ledger move is `stock_move_id`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    qty: Mapped[Decimal] = mapped_column(ExactQty)
    stock_move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_move.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
