"""Shipments (发货单): which lots and serial numbers went to which customer, for which order, when.

For after-sales (DESIGN §8) the entry point is `serial_facts(serial)`: the order, customer, product and
ship date of a shipped serial number, or None. Tables:

- `shipment`: number SH-YYYYMMDD-NNNN, `order_id` (sales_order), `customer_id`, `ship_date` (plant's
  calendar day), who recorded it;
- `shipment_line`: a quantity of one SKU, from one lot when lot-tracked (`lot_id` → `lot`);
- `serial_number`: one row per shipped serial (unique), with its shipment, line, lot and product.

A shipment is the delivery document; the stock leaves through the scanner's `shipment` moves (with GPS
and the location label, DESIGN §6), which name the same sales order as their reference.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.masterdata import Customer, Product, Sku
from domain.orders.models import Order
from domain.quality.lots import Lot
from domain.quantities import ExactQty
from extensions import db


class Shipment(db.Model):
    __table_args__ = (Index("ix_shipment_customer_date", "customer_id", "ship_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    ship_date: Mapped[date] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    order: Mapped[Order] = relationship()
    customer: Mapped[Customer] = relationship()
    lines: Mapped[list["ShipmentLine"]] = relationship(
        back_populates="shipment", order_by="ShipmentLine.id", cascade="all, delete-orphan"
    )


class ShipmentLine(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"), index=True)
    qty: Mapped[Decimal] = mapped_column(ExactQty)
    shipment: Mapped[Shipment] = relationship(back_populates="lines")
    sku: Mapped[Sku] = relationship()
    lot: Mapped[Lot | None] = relationship()
    serials: Mapped[list["SerialNumber"]] = relationship(
        back_populates="line", order_by="SerialNumber.serial", cascade="all, delete-orphan"
    )


class SerialNumber(db.Model):
    """A shipped unit's serial number (its label: `<base>/s/sn/<serial>`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id", ondelete="CASCADE"), index=True)
    shipment_line_id: Mapped[int] = mapped_column(
        ForeignKey("shipment_line.id", ondelete="CASCADE"), index=True
    )
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    line: Mapped[ShipmentLine] = relationship(back_populates="serials")
    shipment: Mapped[Shipment] = relationship()
    lot: Mapped[Lot | None] = relationship()


Serial = SerialNumber


@dataclass(frozen=True)
class SerialFacts:
    serial: str
    order_id: int
    order_number: str
    customer_id: int
    customer_code: str
    customer_name: str
    ship_date: date
    shipment_number: str
    product_id: int | None
    product_model: str | None
    lot: str | None


def serial_facts(serial: str) -> SerialFacts | None:
    """Serial → order, customer, ship date (one query); None when the serial was never shipped."""
    row = db.session.execute(
        select(
            SerialNumber.serial,
            Order.id,
            Order.number,
            Customer.id,
            Customer.code,
            Customer.name,
            Shipment.ship_date,
            Shipment.number,
            Product.id,
            Product.model,
            Lot.code,
        )
        .join(Shipment, Shipment.id == SerialNumber.shipment_id)
        .join(Order, Order.id == Shipment.order_id)
        .join(Customer, Customer.id == Shipment.customer_id)
        .outerjoin(Product, Product.id == func.coalesce(SerialNumber.product_id, Order.product_id))
        .outerjoin(Lot, Lot.id == SerialNumber.lot_id)
        .where(SerialNumber.serial == serial.strip())
    ).first()
    return None if row is None else SerialFacts(*row)
