"""Service ticket tables: the ticket, its state events, the spare parts used and the photos taken."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.masterdata import Customer, Product, ServicePoint, Sku
from domain.orders.models import Order
from domain.quantities import ExactQty
from extensions import db

NUMBER_PREFIX = "ST"


class ServiceTicket(db.Model):
    """A customer's repair request. The serial's order, product and ship date are copied at creation,
    so the ticket still reads the same if shipment records are corrected later."""

    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_1_to_5"),
        Index("ix_service_ticket_state_assignee", "state", "assigned_to_id"),
        Index("ix_service_ticket_closed_at", "closed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order.id"))
    ship_date: Mapped[date | None]
    warranty_months: Mapped[int] = mapped_column(default=12)
    fault_description: Mapped[str] = mapped_column(Text)
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id"))
    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    customer: Mapped[Customer] = relationship()
    product: Mapped[Product | None] = relationship()
    order: Mapped[Order | None] = relationship()
    service_point: Mapped[ServicePoint | None] = relationship()
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])
    events: Mapped[list["ServiceTicketEvent"]] = relationship(
        order_by="ServiceTicketEvent.id", back_populates="ticket", cascade="all, delete-orphan"
    )
    parts: Mapped[list["ServicePartUse"]] = relationship(
        order_by="ServicePartUse.id", back_populates="ticket", cascade="all, delete-orphan"
    )
    photos: Mapped[list["ServicePhoto"]] = relationship(
        order_by="ServicePhoto.id", back_populates="ticket", cascade="all, delete-orphan"
    )


class ServiceTicketEvent(db.Model):
    """One row per state change (and per reassignment): when, by whom, from and to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("service_ticket.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ticket: Mapped[ServiceTicket] = relationship(back_populates="events")
    user = relationship("User", lazy="joined")  # shown with every event: loaded with them


class ServicePartUse(db.Model):
    """A spare part used on a ticket, issued from a service point's warehouse: `stock_move_id` is the
    ledger's issue move (NULL only for history imported from before the ledger existed)."""

    __table_args__ = (CheckConstraint("qty > 0", name="part_qty_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("service_ticket.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"), index=True)
    qty: Mapped[Decimal] = mapped_column(ExactQty)
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id"))
    stock_move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_move.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ticket: Mapped[ServiceTicket] = relationship(back_populates="parts")
    sku: Mapped[Sku] = relationship()


class ServicePhoto(db.Model):
    """A photo taken on site, stored under a random name outside the web root."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("service_ticket.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    caption: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    ticket: Mapped[ServiceTicket] = relationship(back_populates="photos")


class ProductWarranty(db.Model):
    """Warranty months for one product model; models without a row use the plant default
    (setting SERVICE_WARRANTY_MONTHS, 12 unless set)."""

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    months: Mapped[int]
