"""The order list (DESIGN §3): filters, sort and keyset pagination, so page 2,000 of 100,000 orders is
as fast as page 1 (the cursor is the last row's sort value and id, served by an index)."""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from domain.errors import DomainError
from domain.masterdata import Customer, Product
from domain.orders import search as order_search
from domain.orders.models import Order
from domain.orders.service import SEE_ALL_ROLES
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
    q: str | None = None  # the search box: domain/orders/search.py
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


def _where(f: OrderFilter, user: Any, found: order_search.Search | None) -> list[Any]:
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
    if found is not None:
        conditions.append(order_search.matches(found))
    if f.due_from:
        conditions.append(Order.due_date >= f.due_from)
    if f.due_to:
        conditions.append(Order.due_date <= f.due_to)
    if f.rush is not None:
        conditions.append(Order.is_rush.is_(f.rush))
    return conditions


def _searching(f: OrderFilter) -> bool:
    return bool(f.q and f.q.strip())


def _prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sort(f: OrderFilter) -> tuple[Any, Any, bool]:
    key = f.sort.lstrip("-")
    if key not in SORTS:
        message = _("Sort by one of %(keys)s.", keys=", ".join(SORTS))
        raise DomainError("validation_error", message, {"sort": message})
    column, parse = SORTS[key]
    return column, parse, f.sort.startswith("-")


def encode_cursor(value: Any, order_id: int, rank: int | None = None) -> str:
    key = [value.isoformat() if hasattr(value, "isoformat") else value, order_id]
    text = json.dumps(key if rank is None else [*key, rank])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, parse: Any, ranked: bool) -> tuple[Any, int, int | None]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, order_id, *rank = json.loads(raw)
        if len(rank) != (1 if ranked else 0):
            raise ValueError("a cursor of another list")
        return parse(value), int(order_id), (int(rank[0]) if ranked else None)
    except (ValueError, TypeError) as exc:
        message = _("This page link is no longer valid; start from the first page.")
        raise DomainError("invalid_cursor", message, {"cursor": message}) from exc


def _after(column: Any, value: Any, order_id: int, descending: bool) -> Any:
    if descending:
        return or_(column < value, and_(column == value, Order.id < order_id))
    return or_(column > value, and_(column == value, Order.id > order_id))


def _after_ranked(
    rank: Any, rank_value: int | None, column: Any, value: Any, order_id: int, desc: bool
) -> Any:
    after = _after(column, value, order_id, desc)
    return after if rank_value is None else or_(rank > rank_value, and_(rank == rank_value, after))


def list_orders(f: OrderFilter, user: Any) -> OrderPage:
    """A page of the orders the filter finds; with a search text, the best matches first
    (order_search.rank), each rank in the list's sort."""
    column, parse, descending = _sort(f)
    limit = max(1, min(f.limit, MAX_PAGE))
    found_by = order_search.search(f.q or "") if _searching(f) else None
    conditions = _where(f, user, found_by)
    searching = found_by is not None
    rank = order_search.rank(found_by) if found_by is not None else None
    # A search scans the orders (no index holds "any part of"), so its first page takes the total from
    # the same scan (a window count) instead of scanning twice.
    window = searching and not f.cursor
    extra = [rank.label("rank")] if rank is not None else []
    if window:
        extra.append(func.count().over().label("total"))
    ordering = [column.desc() if descending else column, Order.id.desc() if descending else Order.id]
    # selectinload: a search sorts every match, and joined customers and products would be joined
    # for all of them, not only for the page
    load = selectinload if searching else joinedload
    query: Select = (
        select(Order, *extra)
        .options(load(Order.customer), load(Order.product))
        .where(*conditions)
        .order_by(*([rank] if rank is not None else []), *ordering)
        .limit(limit + 1)
    )
    if f.cursor:
        value, order_id, rank_value = _decode_cursor(f.cursor, parse, ranked=rank is not None)
        query = query.where(_after_ranked(rank, rank_value, column, value, order_id, descending))
    found = list(db.session.execute(query).all())
    if window:
        total = found[0].total if found else 0
    else:
        total = db.session.execute(select(func.count(Order.id)).where(*conditions)).scalar_one()
    more = len(found) > limit
    found = found[:limit]
    rows = [row[0] for row in found]
    next_cursor = None
    if more and found:
        last_rank = found[-1].rank if rank is not None else None
        next_cursor = encode_cursor(getattr(rows[-1], column.key), rows[-1].id, last_rank)
    return OrderPage(rows, total, next_cursor)
