"""The stock ledger: one balance row per (SKU, lot, location) and the append-only moves that explain it."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    DDL,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from domain.quantities import ExactQty
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
# A move between two locations is two rows, out of one and into the other, in one transaction.
RELOCATE_OUT, RELOCATE_IN = "relocate_out", "relocate_in"
MOVE_KINDS = (
    RECEIPT,
    ISSUE,
    OUTPUT,
    TRANSFER_OUT,
    TRANSFER_IN,
    SHIPMENT,
    ADJUSTMENT,
    RELOCATE_OUT,
    RELOCATE_IN,
)
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
        Index("ix_stock_move_feed", "xact_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # Commit order for readers of the whole ledger (domain/stock/ledger_feed.py): on PostgreSQL the
    # writing transaction's id (set by the column default below), on SQLite 0, where writes are serial.
    xact_id: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
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


# Row ids come from a sequence in insert order, but concurrent transactions commit in another order:
# a reader past id 101 could miss 100 committed a moment later. Transaction ids let the feed serve
# only moves whose transaction is older than every transaction still running.
XACT_ID_DEFAULT = "ALTER TABLE stock_move ALTER COLUMN xact_id SET DEFAULT pg_current_xact_id()::text::bigint"
event.listen(StockMove.__table__, "after_create", DDL(XACT_ID_DEFAULT).execute_if(dialect="postgresql"))


@event.listens_for(StockMove, "before_update")
@event.listens_for(StockMove, "before_delete")
def _ledger_is_append_only(_mapper, _connection, move: StockMove) -> None:
    raise RuntimeError(f"stock move {move.id} is part of the ledger and cannot be changed")
