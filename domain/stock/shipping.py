"""A shipment scanned against a sales order (DESIGN §6, §7): it ships the order's product, and never
more than was ordered, nor more than has passed final inspection, counting what was shipped before.

`require_shippable` is the rule on plain values; `check_shipment` reads the numbers it needs (one
query each) inside the move's write transaction.
"""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import BigInteger, exists, func, select

from domain.errors import DomainError
from domain.masterdata import Product
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality.inspections import FINAL, Inspection
from domain.quantities import plain
from domain.stock.ledger import SHIPMENT, StockMove
from extensions import db


def require_shippable(
    qty: Decimal, ordered: Decimal, shipped: Decimal, inspected: Decimal, order: str
) -> None:
    """Refuse a shipment of `qty` that would take the order past what was ordered or inspected."""
    if shipped + qty > ordered:
        message = _(
            "Order %(order)s is for %(ordered)s; %(shipped)s shipped already, so at most %(left)s more.",
            order=order,
            ordered=plain(ordered),
            shipped=plain(shipped),
            left=plain(max(ordered - shipped, Decimal(0))),
        )
        raise DomainError("shipment_exceeds_order", message, {"qty": message})
    if shipped + qty > inspected:
        message = _(
            "Only %(inspected)s of order %(order)s passed final inspection; %(shipped)s shipped already.",
            order=order,
            inspected=plain(inspected),
            shipped=plain(shipped),
        )
        raise DomainError("shipment_exceeds_inspected", message, {"qty": message})


def check_shipment(order_number: str, sku_id: int, sku_code: str, qty: Decimal) -> None:
    """`qty` (positive) of the SKU may leave against the sales order `order_number`."""
    found = db.session.execute(
        select(Order.id, Order.quantity, Product.model)
        .join(Product, Product.id == Order.product_id)
        .where(Order.number == order_number)
    ).first()
    if found is None:
        message = _("A shipment goes against a sales order; %(number)s is not one.", number=order_number)
        raise DomainError("shipment_needs_sales_order", message, {"ref": message})
    order_id, ordered, model = found
    if sku_code != model:
        message = _(
            "Order %(order)s is for %(model)s, not %(sku)s.", order=order_number, model=model, sku=sku_code
        )
        raise DomainError("sku_not_on_order", message, {"sku": message})
    shipped, inspected = shipped_qty(order_number, sku_id), inspected_qty(order_id)
    require_shippable(qty, Decimal(ordered), shipped, inspected, order_number)


def shipped_qty(order_number: str, sku_id: int) -> Decimal:
    """How much of the SKU has left against the order (positive)."""
    shipped = db.session.execute(
        select(func.sum(StockMove.qty, type_=BigInteger)).where(
            StockMove.kind == SHIPMENT, StockMove.ref == order_number, StockMove.sku_id == sku_id
        )
    ).scalar()
    return -_qty(shipped)


def inspected_qty(order_id: int) -> Decimal:
    """The good output of the order's work orders whose final inspection passed: what may ship."""
    passed_final = exists().where(
        Inspection.work_order_id == WorkOrder.id, Inspection.kind == FINAL, Inspection.passed
    )
    inspected = db.session.execute(
        select(func.sum(WorkOrder.good_qty, type_=BigInteger)).where(
            WorkOrder.order_id == order_id, passed_final
        )
    ).scalar()
    return _qty(inspected)


def _qty(value) -> Decimal:
    """A sum of ExactQty columns, read as its storage (whole thousandths), as a Decimal."""
    return Decimal(int(value or 0)) / 1000
