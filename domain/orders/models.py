"""The order master (订单主表, DESIGN §3): the order, its stage events and its number."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DDL, ForeignKey, Index, String, event, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.masterdata import Customer, Money, Product, Qty
from domain.stage_machine import STAGES  # noqa: F401  (re-exported: the stage list lives with its machine)
from extensions import db

PRIORITIES = ("A", "B", "C")
FLAME_GRADES = ("HB", "V-2", "V-1", "V-0", "5VA")
NUMBER_PREFIX = "SO"


# The trigram indexes need pg_trgm (tests and `create_all` build the schema without the migrations).
event.listen(
    db.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class Order(db.Model):
    __tablename__ = "sales_order"  # "order" is an SQL keyword
    __table_args__ = (
        # The list page filters by one of these and sorts by due date (or creation) with id as the
        # tie-break of its keyset pagination; each index serves one such query without a sort step.
        Index("ix_sales_order_stage_due", "stage", "due_date", "id"),
        Index("ix_sales_order_customer_due", "customer_id", "due_date", "id"),
        Index("ix_sales_order_creator_due", "created_by_id", "due_date", "id"),
        Index("ix_sales_order_due_id", "due_date", "id"),
        Index("ix_sales_order_created_id", "created_at", "id"),
        # The search box finds a number or PO by any part of it ("1117"): trigram indexes on PostgreSQL
        # (plain b-trees on SQLite, which scans 100,000 orders for it in ~35 ms: bench/README.md).
        Index(
            "ix_sales_order_number_trgm",
            "number",
            postgresql_using="gin",
            postgresql_ops={"number": "gin_trgm_ops"},
        ),
        Index(
            "ix_sales_order_ref_trgm",
            "original_ref",
            postgresql_using="gin",
            postgresql_ops={"original_ref": "gin_trgm_ops"},
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Qty)
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    price_override_reason: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date]
    priority: Mapped[str] = mapped_column(String(1), default="B")
    stage: Mapped[str] = mapped_column(String(16), default="quote")
    flame_grade: Mapped[str | None] = mapped_column(String(8))
    packaging: Mapped[str | None] = mapped_column(String(200))
    color_notes: Mapped[str | None] = mapped_column(String(500))
    original_ref: Mapped[str | None] = mapped_column(String(64))
    is_rush: Mapped[bool] = mapped_column(default=False)  # the rush channel was opened for it (§3.3)
    # While on hold: the stage it resumes to. The reason of the last hold or cancel, shown on the order.
    held_from: Mapped[str | None] = mapped_column(String(16))
    stop_reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    customer: Mapped[Customer] = relationship()
    product: Mapped[Product] = relationship()
    stage_events: Mapped[list["OrderStageEvent"]] = relationship(
        order_by="OrderStageEvent.at", back_populates="order", cascade="all, delete-orphan"
    )


class OrderStageEvent(db.Model):
    """One row per stage transition: when, by whom, from and to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str | None] = mapped_column(String(500))  # cancel and hold carry one
    order: Mapped[Order] = relationship(back_populates="stage_events")


def number_prefix(day: date) -> str:
    return f"{NUMBER_PREFIX}-{day:%Y%m%d}-"


def next_order_number(day: date) -> str:
    """SO-YYYYMMDD-NNNN, the day's next serial. Two concurrent creations may compute the same number;
    the unique index refuses the second and the caller retries (see order_service.create_order)."""
    prefix = number_prefix(day)
    last = db.session.execute(
        select(Order.number)
        .where(Order.number.like(f"{prefix}%"))
        .order_by(func.length(Order.number).desc(), Order.number.desc())  # 10000 sorts after 9999
        .limit(1)
    ).scalar_one_or_none()
    serial = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{serial:04d}"
