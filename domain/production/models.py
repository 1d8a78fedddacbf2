"""Production records (DESIGN §4): machines, work orders with their locked BOM version, the operations
the routing makes of them per workshop, the task cards pushed to team leaders, and the counters that
number work orders and cards without gaps."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.masterdata import BomVersion, Product, Team, Workshop
from domain.orders.models import Order
from domain.quantities import ExactQty
from domain.users import User
from extensions import db

# Work order status, in order; `finished` when every operation is finished. Its order's hold or cancel
# stops it: `on_hold` (resumes to `held_from`) or `cancelled` (for good; what was made is kept).
RELEASED, ACKNOWLEDGED, IN_PROGRESS, FINISHED = "released", "acknowledged", "in_progress", "finished"
ON_HOLD, CANCELLED = "on_hold", "cancelled"
OPEN_WORK_ORDER = (RELEASED, ACKNOWLEDGED, IN_PROGRESS)  # being made, or about to be
WORK_ORDER_STATUSES = (*OPEN_WORK_ORDER, FINISHED, ON_HOLD, CANCELLED)
# Operation status. Operations of a stopped work order hold no machine time.
PENDING, STARTED, DONE = "pending", "started", "finished"
OPEN_OPERATION = (PENDING, STARTED)
OPERATION_STATUSES = (*OPEN_OPERATION, DONE, ON_HOLD, CANCELLED)
# Task card status: new → acknowledged (已接收) → started → finished; on hold / cancelled with the order.
CARD_NEW, CARD_STARTED = "new", "started"
CARD_STATUSES = (CARD_NEW, ACKNOWLEDGED, CARD_STARTED, FINISHED, ON_HOLD, CANCELLED)

WORK_ORDER_STATUS_LABELS = {
    RELEASED: _l("Released"),
    ACKNOWLEDGED: _l("Acknowledged"),
    IN_PROGRESS: _l("In progress"),
    FINISHED: _l("Finished"),
    ON_HOLD: _l("On hold"),
    CANCELLED: _l("Cancelled"),
}
CARD_STATUS_LABELS = {
    CARD_NEW: _l("New"),
    ACKNOWLEDGED: _l("Acknowledged"),
    CARD_STARTED: _l("Started"),
    FINISHED: _l("Finished"),
    ON_HOLD: _l("On hold"),
    CANCELLED: _l("Cancelled"),
}
OPERATION_STATUS_LABELS = {
    PENDING: _l("Pending"),
    STARTED: _l("Running"),
    DONE: _l("Finished"),
    ON_HOLD: _l("On hold"),
    CANCELLED: _l("Cancelled"),
}


class Machine(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    tonnage: Mapped[int | None]  # clamping force (t) of a press: a routing step may ask for at least so much
    workshop: Mapped[Workshop] = relationship()


class SchedulingSettingsRecord(db.Model):
    """The scheduler's settings a planner changed (shifts, days off, frozen window, changeover minutes);
    a single row (id 1), the plant defaults when absent (domain/scheduling/settings.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    settings: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class ProductionCounter(db.Model):
    """One row per numbering scope — `wo:YYYYMMDD` for the day's work orders, `card:<team id>` for a
    team's task cards. The row is incremented inside the creating transaction (row-locked on
    PostgreSQL, under BEGIN IMMEDIATE on SQLite), so numbers are consecutive and never reused."""

    scope: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class WorkOrder(db.Model):
    __table_args__ = (Index("ix_work_order_status_start", "status", "planned_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # WO-YYYYMMDD-NNNN
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    # The BOM version in force at conversion, locked: later BOM edits make a new version instead.
    bom_version_id: Mapped[int] = mapped_column(ForeignKey("bom_version.id"))
    quantity: Mapped[Decimal] = mapped_column(ExactQty)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=RELEASED)
    planned_start: Mapped[datetime | None]
    planned_end: Mapped[datetime | None]
    good_qty: Mapped[Decimal] = mapped_column(ExactQty, default=Decimal(0))
    scrap_qty: Mapped[Decimal] = mapped_column(ExactQty, default=Decimal(0))
    held_from: Mapped[str | None] = mapped_column(String(16))  # the status it resumes to
    stop_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    order: Mapped[Order] = relationship()
    product: Mapped[Product] = relationship()
    bom_version: Mapped[BomVersion] = relationship()
    team: Mapped[Team] = relationship()
    created_by: Mapped[User | None] = relationship()
    operations: Mapped[list["Operation"]] = relationship(
        back_populates="work_order", order_by="Operation.seq", cascade="all, delete-orphan"
    )
    # Read-only: what the first-article gate (domain/quality/first_article_gate.py) and the card read.
    first_article_inspections: Mapped[list["Inspection"]] = relationship(  # noqa: F821
        primaryjoin="and_(Inspection.work_order_id == WorkOrder.id, Inspection.kind == 'first_article')",
        order_by="Inspection.id",
        viewonly=True,
    )


class Operation(db.Model):
    """One routing step of a work order in one workshop, optionally on one machine; the Gantt moves
    `planned_start`/`planned_end` (and `machine_id`), `seq` is the order the steps must run in."""

    __table_args__ = (
        UniqueConstraint("work_order_id", "seq"),
        Index("ix_operation_machine_start", "machine_id", "planned_start"),
        Index("ix_operation_workshop_start", "workshop_id", "planned_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    machine_id: Mapped[int | None] = mapped_column(ForeignKey("machine.id"))
    planned_start: Mapped[datetime]
    planned_end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    # Placed by hand on the Gantt: the scheduler leaves it where it is until a planner unpins it.
    pinned: Mapped[bool] = mapped_column(default=False, server_default=false())
    good_qty: Mapped[Decimal] = mapped_column(ExactQty, default=Decimal(0))
    scrap_qty: Mapped[Decimal] = mapped_column(ExactQty, default=Decimal(0))
    work_order: Mapped[WorkOrder] = relationship(back_populates="operations")
    workshop: Mapped[Workshop] = relationship()
    machine: Mapped[Machine | None] = relationship()


class TaskCard(db.Model):
    """A card on a team leader's phone. `seq` numbers a team's cards 1, 2, 3 … in creation order, so
    a phone that reconnects asks for everything after the last seq it saw and gets it in order."""

    __table_args__ = (UniqueConstraint("team_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    seq: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=CARD_NEW)
    # What the leader reads, frozen at creation (the work order page shows the live values).
    title: Mapped[str] = mapped_column(String(200))
    product_model: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal] = mapped_column(ExactQty)
    due_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]  # put on hold or cancelled with its order
    work_order: Mapped[WorkOrder] = relationship()
    team: Mapped[Team] = relationship()


class WorkOrderMaterial(db.Model):
    """A line of the work order's material list that no longer follows its locked BOM because the
    customer's spec changed: the BOM's SKU is replaced by `sku_id`, or, where no SKU of the new spec
    is known, the line is flagged for re-kitting (DESIGN §3.0)."""

    __table_args__ = (UniqueConstraint("work_order_id", "bom_sku_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"), index=True)
    bom_sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    sku_id: Mapped[int | None] = mapped_column(ForeignKey("sku.id"))  # None: needs re-kitting
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("change_notice.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
