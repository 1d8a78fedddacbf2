"""Transfers between warehouses (调拨单) and the discrepancies found when one is received."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.masterdata import Sku, Warehouse
from domain.quantities import ExactQty
from domain.users import User
from extensions import db

REQUESTED, PICKED, IN_TRANSIT, RECEIVED, CANCELLED = (
    "requested",
    "picked",
    "in_transit",
    "received",
    "cancelled",
)
STATES = (REQUESTED, PICKED, IN_TRANSIT, RECEIVED, CANCELLED)
ON_THE_ROAD = (PICKED, IN_TRANSIT)  # out of the source, not yet in the target: "in transit" stock
INBOUND_STATES = (REQUESTED, PICKED, IN_TRANSIT)  # counted against the target's remaining capacity


class Transfer(db.Model):
    __tablename__ = "stock_transfer"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("from_warehouse_id <> to_warehouse_id", name="two_warehouses"),
        Index("ix_stock_transfer_sku_state", "sku_id", "state"),
        Index("ix_stock_transfer_to_state", "to_warehouse_id", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_ref: Mapped[str] = mapped_column(String(32), index=True)
    order_kind: Mapped[str] = mapped_column(String(16))  # sales_order or work_order
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    lot: Mapped[str] = mapped_column(String(64), default="")
    qty: Mapped[Decimal] = mapped_column(ExactQty)
    picked_qty: Mapped[Decimal | None] = mapped_column(ExactQty)
    received_qty: Mapped[Decimal | None] = mapped_column(ExactQty)
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouse.id"))
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouse.id"))
    pick_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    receive_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    state: Mapped[str] = mapped_column(String(16), default=REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    picked_at: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # The order it serves was put on hold or cancelled: picking and dispatch stop, with this reason.
    stopped_reason: Mapped[str | None] = mapped_column(String(500))
    sku: Mapped[Sku] = relationship()
    from_warehouse: Mapped[Warehouse] = relationship(foreign_keys=[from_warehouse_id])
    to_warehouse: Mapped[Warehouse] = relationship(foreign_keys=[to_warehouse_id])
    discrepancy: Mapped["TransferDiscrepancy | None"] = relationship(
        back_populates="transfer", uselist=False, lazy="selectin"
    )

    @property
    def number(self) -> str:
        return f"TR{self.id:06d}"


class TransferDiscrepancy(db.Model):
    """Received ≠ picked: what left, what arrived, by whom; resolved later by an adjustment with a reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("stock_transfer.id"), unique=True)
    picked_qty: Mapped[Decimal] = mapped_column(ExactQty)
    received_qty: Mapped[Decimal] = mapped_column(ExactQty)
    difference: Mapped[Decimal] = mapped_column(ExactQty)  # received − picked: negative = missing
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    transfer: Mapped[Transfer] = relationship(back_populates="discrepancy")
    recorded_by: Mapped["User | None"] = relationship()
