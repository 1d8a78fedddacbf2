"""The stock ledger: one balance row per (SKU, lot, location) and the append-only moves that explain it."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from domain.stock.quantity import ExactQty
from extensions import db

RECEIPT, ISSUE, OUTPUT, TRANSFER_OUT, TRANSFER_IN, SHIPMENT, ADJUSTMENT = (
    "receipt",
    "issue",
    "output",
    "transfer_out",
    "transfer_in",
    "shipment",
    "adjustment",
)
MOVE_KINDS = (RECEIPT, ISSUE, OUTPUT, TRANSFER_OUT, TRANSFER_IN, SHIPMENT, ADJUSTMENT)
INBOUND = frozenset({RECEIPT, OUTPUT, TRANSFER_IN})
OUTBOUND = frozenset({ISSUE, TRANSFER_OUT, SHIPMENT})


class StockBalance(db.Model):
    """On-hand quantity; always equal to the sum of its moves (`flask stock-check` verifies it)."""

    __table_args__ = (
        UniqueConstraint("sku_id", "lot", "location_id", name="uq_stock_balance_sku_lot_location"),
        CheckConstraint("qty >= 0", name="qty_not_negative"),  # the backstop under every write path
        Index("ix_stock_balance_location", "location_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    lot: Mapped[str] = mapped_column(String(64), default="")  # "" = not lot-tracked
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    qty: Mapped[Decimal] = mapped_column(ExactQty, default=Decimal(0))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockMove(db.Model):
    """One change of one balance: `qty` is signed (+ in, − out). Rows are never updated or deleted;
    a mistake is corrected by an adjustment move with a reason."""

    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty_not_zero"),
        Index("ix_stock_move_balance", "sku_id", "lot", "location_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    lot: Mapped[str] = mapped_column(String(64), default="")
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    qty: Mapped[Decimal] = mapped_column(ExactQty)
    on_hand_after: Mapped[Decimal] = mapped_column(ExactQty)
    reason: Mapped[str | None] = mapped_column(String(200))
    ref: Mapped[str | None] = mapped_column(String(64), index=True)  # sales / work order number
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("stock_transfer.id"), index=True)
    gps_fix_id: Mapped[int | None] = mapped_column(ForeignKey("gps_fix.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


@event.listens_for(StockMove, "before_update")
@event.listens_for(StockMove, "before_delete")
def _ledger_is_append_only(_mapper, _connection, move: StockMove) -> None:
    raise RuntimeError(f"stock move {move.id} is part of the ledger and cannot be changed")
