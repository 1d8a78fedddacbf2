"""Inspection records (DESIGN §7): a checklist per product, and the first-article (首件检验) and final
inspections of a work order with every measured value, photos and the inspector.

Results copy the checklist item they answer (name, nominal, tolerance), so an inspection reads the same
after the checklist is edited.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.users import User
from extensions import db

FIRST_ARTICLE, FINAL = "first_article", "final"
INSPECTION_KINDS = (FIRST_ARTICLE, FINAL)
MEASURE, CHECK = "measure", "check"  # a value within nominal ± tolerance, or pass/fail by eye
ITEM_METHODS = (MEASURE, CHECK)
Measure = Numeric(14, 4)


class InspectionChecklist(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), unique=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    items: Mapped[list["ChecklistItem"]] = relationship(
        back_populates="checklist", order_by="ChecklistItem.seq", cascade="all, delete-orphan"
    )


class ChecklistItem(db.Model):
    __table_args__ = (UniqueConstraint("checklist_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_checklist.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(8), default=MEASURE)
    nominal: Mapped[Decimal | None] = mapped_column(Measure)
    tol_minus: Mapped[Decimal | None] = mapped_column(Measure)  # allowed below nominal (≥ 0)
    tol_plus: Mapped[Decimal | None] = mapped_column(Measure)  # allowed above nominal (≥ 0)
    unit: Mapped[str] = mapped_column(String(16), default="")
    first_article: Mapped[bool] = mapped_column(default=True)  # asked at the first-article inspection
    final: Mapped[bool] = mapped_column(default=True)  # asked at the final inspection
    active: Mapped[bool] = mapped_column(default=True)
    checklist: Mapped[InspectionChecklist] = relationship(back_populates="items")


class Inspection(db.Model):
    __table_args__ = (
        Index("ix_inspection_work_order_kind_at", "work_order_id", "kind", "at"),
        Index("ix_inspection_first_pass", "kind", "attempt", "at", "passed"),  # covers first-pass yield
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"))
    kind: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int] = mapped_column(default=1)  # 1 = first pass; later = after rework
    passed: Mapped[bool]
    note: Mapped[str] = mapped_column(String(500), default="")
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    inspector: Mapped[User] = relationship()
    results: Mapped[list["InspectionResult"]] = relationship(
        back_populates="inspection", order_by="InspectionResult.seq", cascade="all, delete-orphan"
    )
    photos: Mapped[list["InspectionPhoto"]] = relationship(
        order_by="InspectionPhoto.id", cascade="all, delete-orphan"
    )


class InspectionResult(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_item.id", ondelete="SET NULL"))
    seq: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(8))
    nominal: Mapped[Decimal | None] = mapped_column(Measure)
    tol_minus: Mapped[Decimal | None] = mapped_column(Measure)
    tol_plus: Mapped[Decimal | None] = mapped_column(Measure)
    unit: Mapped[str] = mapped_column(String(16), default="")
    measured: Mapped[Decimal | None] = mapped_column(Measure)
    checked_ok: Mapped[bool | None]  # the inspector's pass/fail for a CHECK item
    passed: Mapped[bool]
    inspection: Mapped[Inspection] = relationship(back_populates="results")


class InspectionPhoto(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
