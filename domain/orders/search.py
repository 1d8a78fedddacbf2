"""The order search box: one text finds orders by any part of their number or the customer's PO
(原始订单号), by customer code, name, pinyin initials ("zsmh") or full pinyin, and by product model.

Ranked so the order someone typed exactly comes first: the number or PO itself, then numbers and POs
that start with the text, then an exact customer code or model, then the rest, each by the list's sort.
Customers and products are few, so they are looked up first (one small query each) and the order query
is an OR of plain conditions: trigram indexes on number and PO (pg_trgm) and the customer and product
indexes on PostgreSQL, a scan on SQLite (bench/order_search.py, bench/README.md)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, false, or_, select

from domain.masterdata import Customer, Product
from domain.orders.models import Order
from domain.search_text import escaped, typed
from extensions import db

MAX_LENGTH = 64
# Any part of a number or PO from 3 characters on: a trigram index needs three, and one or two
# characters are part of most numbers anyway (shorter text finds a number or PO only whole).
MIN_PART = 3
# rank of a match (lower first); the list's own sort orders orders within a rank
EXACT, PREFIX, PARTY_EXACT, PART, PARTY = 0, 1, 2, 3, 4


def _like(text: str, prefix_only: bool = False) -> str:
    return escaped(text) + "%" if prefix_only else "%" + escaped(text) + "%"


def _matching(column: Any, pattern: str) -> ColumnElement[bool]:
    """Case-insensitive LIKE: SQLite's own LIKE already ignores ASCII case (ILIKE's lower() on both
    sides costs 5 times the scan there); PostgreSQL's ILIKE is what its trigram indexes serve."""
    if db.engine.dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


@dataclass(frozen=True)
class Search:
    """The search text and the customers and products it names, looked up once (they are few), so the
    order query is plain conditions each index can serve (PostgreSQL ORs the bitmap scans of the
    trigram and customer/product indexes; a subquery inside the OR would force a scan)."""

    text: str
    customer_ids: tuple[int, ...]
    product_ids: tuple[int, ...]
    exact_customer_ids: tuple[int, ...]
    exact_product_ids: tuple[int, ...]


def search(query: str) -> Search:
    text = typed(query)[:MAX_LENGTH]
    patterns = {_like(text), _like(text.replace(" ", ""))}
    customers = db.session.execute(
        select(Customer.id, Customer.code).where(
            or_(*(Customer.search_key.like(p, escape="\\") for p in patterns))
        )
    ).all()
    pattern = _like(text)
    products = db.session.execute(
        select(Product.id, Product.model).where(
            or_(_matching(Product.model, pattern), _matching(Product.name, pattern))
        )
    ).all()
    return Search(
        text,
        tuple(c.id for c in customers),
        tuple(p.id for p in products),
        tuple(c.id for c in customers if c.code.lower() == text),
        tuple(p.id for p in products if p.model.lower() == text),
    )


def matches(found: Search) -> ColumnElement[bool]:
    """Orders the search finds (an empty text finds nothing; the caller leaves the filter out)."""
    if not found.text:
        return false()
    pattern = _like(found.text) if len(found.text) >= MIN_PART else escaped(found.text)
    return or_(
        _matching(Order.number, pattern),
        _matching(Order.original_ref, pattern),
        Order.customer_id.in_(found.customer_ids),
        Order.product_id.in_(found.product_ids),
    )


def rank(found: Search) -> ColumnElement[int]:
    """How well an order matches (EXACT … PARTY), for sorting the found orders."""
    text = found.text
    exact, prefix, part = escaped(text), _like(text, prefix_only=True), _like(text)

    def either(pattern: str) -> ColumnElement[bool]:
        return or_(_matching(Order.number, pattern), _matching(Order.original_ref, pattern))

    exact_party = or_(
        Order.customer_id.in_(found.exact_customer_ids), Order.product_id.in_(found.exact_product_ids)
    )
    return case(
        (either(exact), EXACT),
        (either(prefix), PREFIX),
        (exact_party, PARTY_EXACT),
        (either(part), PART),
        else_=PARTY,
    )
