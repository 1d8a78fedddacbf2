"""Order references (反向追溯): a transfer or shipment names the order it serves, and it must exist.

A sales order number (SO-…) or a work order number (WO-YYYYMMDD-NNNN) is accepted; each kind has its
resolver in RESOLVERS, tried in turn, so every caller accepts both with no other change.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from domain.errors import DomainError
from domain.orders.models import Order
from domain.production.models import WorkOrder
from extensions import db


@dataclass(frozen=True)
class OrderRef:
    kind: str  # "sales_order" or "work_order"
    number: str


def _sales_order(number: str) -> OrderRef | None:
    found = db.session.execute(db.select(Order.id).where(Order.number == number)).first()
    return OrderRef("sales_order", number) if found else None


def _work_order(number: str) -> OrderRef | None:
    found = db.session.execute(db.select(WorkOrder.id).where(WorkOrder.number == number)).first()
    return OrderRef("work_order", number) if found else None


RESOLVERS: list[Callable[[str], OrderRef | None]] = [_sales_order, _work_order]


def resolve_order_reference(reference: str | None, field: str = "order_ref") -> OrderRef:
    number = (reference or "").strip()
    if not number:
        raise DomainError(
            "missing_order_reference",
            _("Enter the sales or work order number this is for."),
            {field: _("required")},
        )
    for resolver in RESOLVERS:
        if (found := resolver(number)) is not None:
            return found
    raise DomainError(
        "unknown_order_reference",
        _("There is no sales or work order %(number)s.", number=number),
        {field: _("no such order")},
    )
