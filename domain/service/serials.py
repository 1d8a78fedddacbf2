"""What the plant knows about one serial number: product, customer, sales order and ship date.

The only module that reads shipment records (domain/quality/shipments.py), so the service desk does
not depend on how quality/shipping stores them. A serial that was shipped before this system (no
shipment record) is still known from an earlier ticket for it: the facts customer service confirmed."""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from sqlalchemy import func, select

from domain.orders.models import Order
from domain.quality.shipments import SerialNumber, Shipment, serial_facts
from extensions import db

_SERIAL_LABEL = re.compile(r"/s/sn/(?P<serial>[^/?#]+)/?(?:[?#].*)?$")
MAX_SERIAL = 64


@dataclass(frozen=True)
class SerialFacts:
    serial: str
    product_id: int | None
    customer_id: int | None
    order_id: int | None
    ship_date: date | None
    shipped: bool  # True: from a shipment record; False: from an earlier ticket


def serial_from_scan(text: str) -> str:
    """The serial a scanned `<base>/s/sn/<serial>` label names, or the typed serial itself."""
    text = (text or "").strip()
    match = _SERIAL_LABEL.search(text)
    serial = unquote(match.group("serial")) if match else text
    return serial.strip()[:MAX_SERIAL]


def find_serial(serial: str) -> SerialFacts | None:
    shipped = serial_facts(serial)
    if shipped is not None:
        return SerialFacts(
            serial, shipped.product_id, shipped.customer_id, shipped.order_id, shipped.ship_date, True
        )
    from domain.service.tickets import ServiceTicket

    row = db.session.execute(
        select(
            ServiceTicket.product_id,
            ServiceTicket.customer_id,
            ServiceTicket.order_id,
            ServiceTicket.ship_date,
        )
        .where(ServiceTicket.serial == serial)
        .order_by(ServiceTicket.id.desc())
        .limit(1)
    ).first()
    return None if row is None else SerialFacts(serial, *row, False)


def shipped_units_by_product() -> dict[int, int]:
    """Serials shipped per product id (the serial's own product, else its order's), for fault rates."""
    product = func.coalesce(SerialNumber.product_id, Order.product_id)
    rows = db.session.execute(
        select(product, func.count(SerialNumber.id))
        .join(Shipment, Shipment.id == SerialNumber.shipment_id)
        .join(Order, Order.id == Shipment.order_id)
        .group_by(product)
    )
    return {product_id: count for product_id, count in rows if product_id is not None}
