"""Material reserved for a work order: counted as available to that work order only.

A reservation is consumed by issuing: what is still held for a work order is the reserved quantity less
what has been issued to it (never below zero), so nobody has to release it by hand after the issue.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from domain.quantities import ExactQty
from extensions import db


class MaterialReservation(db.Model):
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        Index("ix_material_reservation_sku_open", "sku_id", "released_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    qty: Mapped[Decimal] = mapped_column(ExactQty)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    released_at: Mapped[datetime | None]  # released early (plan changed); None = held
    # Why it was released: "hold" ones are made again when the order resumes.
    release_reason: Mapped[str | None] = mapped_column(String(32))
