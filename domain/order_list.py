"""The order list (DESIGN §3): filters, sort and keyset pagination, so page 2,000 of 100,000 orders is
as fast as page 1 (the cursor is the last row's sort value and id, served by an index)."""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from domain.errors import DomainError
from domain.masterdata import Customer, Product
from domain.order_service import SEE_ALL_ROLES
from domain.orders import Order
from extensions import db

# sort key → (column, how to read a cursor value back)
SORTS: dict[str, tuple[Any, Any]] = {
    "due_date": (Order.due_date, date.fromisoformat),
    "created_at": (Order.created_at, datetime.fromisoformat),
    "number": (Order.number, str),
}
MAX_PAGE = 200


@dataclass(frozen=True)
class OrderFilter:
    stage: str | None = None
    priority: str | None = None
    customer_code: str | None = None
    product_model: str | None = None
    number: str | None = None  # prefix of the order number
    due_from: date | None = None
    due_to: date | None = None
    rush: bool | None = None
    sort: str = "due_date"  # a SORTS key, "-" in front for descending
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class OrderPage:
    orders: list[Order]
    total: int
    next_cursor: str | None


def _where(f: OrderFilter, user: Any) -> list[Any]:
    conditions: list[Any] = []
    if not user.has_any_role(SEE_ALL_ROLES):
        conditions.append(Order.created_by_id == user.id)  # a salesperson's own orders
    if f.stage:
        conditions.append(Order.stage == f.stage)
    if f.priority:
        conditions.append(Order.priority == f.priority)
    if f.customer_code:
        customer = select(Customer.id).where(Customer.code == f.customer_code.strip())
        conditions.append(Order.customer_id == customer.scalar_subquery())
    if f.product_model:
        product = select(Product.id).where(Product.model == f.product_model.strip())
        conditions.append(Order.product_id == product.scalar_subquery())
    if f.number and f.number.strip():
        prefix = f.number.strip().upper()
        # The range lets the unique index on number find the rows (SQLite's LIKE is case-blind and
        # cannot use it); LIKE then keeps exactly the prefix matches whatever the collation.
        upper_bound = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        conditions += [Order.number >= prefix, Order.number < upper_bound]
        conditions.append(Order.number.like(_prefix(prefix), escape="\\"))
    if f.due_from:
        conditions.append(Order.due_date >= f.due_from)
    if f.due_to:
        conditions.append(Order.due_date <= f.due_to)
    if f.rush is not None:
        conditions.append(Order.is_rush.is_(f.rush))
    return conditions


def _prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sort(f: OrderFilter) -> tuple[Any, Any, bool]:
    key = f.sort.lstrip("-")
    if key not in SORTS:
        message = _("Sort by one of %(keys)s.", keys=", ".join(SORTS))
        raise DomainError("validation_error", message, {"sort": message})
    column, parse = SORTS[key]
    return column, parse, f.sort.startswith("-")


def encode_cursor(value: Any, order_id: int) -> str:
    text = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, order_id])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, parse: Any) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, order_id = json.loads(raw)
        return parse(value), int(order_id)
    except (ValueError, TypeError) as exc:
        message = _("This page link is no longer valid; start from the first page.")
        raise DomainError("invalid_cursor", message, {"cursor": message}) from exc


def _after(column: Any, value: Any, order_id: int, descending: bool) -> Any:
    if descending:
        return or_(column < value, and_(column == value, Order.id < order_id))
    return or_(column > value, and_(column == value, Order.id > order_id))


def list_orders(f: OrderFilter, user: Any) -> OrderPage:
    column, parse, descending = _sort(f)
    limit = max(1, min(f.limit, MAX_PAGE))
    conditions = _where(f, user)
    total = db.session.execute(select(func.count(Order.id)).where(*conditions)).scalar_one()
    query: Select = (
        select(Order)
        .options(joinedload(Order.customer), joinedload(Order.product))
        .where(*conditions)
        .order_by(column.desc() if descending else column, Order.id.desc() if descending else Order.id)
        .limit(limit + 1)
    )
    if f.cursor:
        query = query.where(_after(column, *_decode_cursor(f.cursor, parse), descending))
    rows = list(db.session.execute(query).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(getattr(rows[-1], column.key), rows[-1].id) if more and rows else None
    return OrderPage(rows, total, next_cursor)
