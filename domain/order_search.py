"""The order search box: one text finds orders by any part of their number or the customer's PO
(原始订单号), by customer code, name, pinyin initials ("zsmh") or full pinyin, and by product model.

Ranked so the order someone typed exactly comes first: the number or PO itself, then numbers and POs
that start with the text, then an exact customer code or model, then the rest, each by the list's sort.
Customers and products are few, so they are matched first (one small query each, inside the order
query); orders' numbers and POs are matched by trigram indexes on PostgreSQL (pg_trgm) and a scan of
two short columns on SQLite (bench/order_search.py)."""

from typing import Any

from sqlalchemy import ColumnElement, case, false, or_, select

from domain.masterdata import Customer, Product
from domain.orders import Order
from domain.search_text import escaped, typed
from extensions import db

MAX_LENGTH = 64
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


def _customers(text: str):
    compact = text.replace(" ", "")
    patterns = {_like(text), _like(compact)}
    return select(Customer.id).where(or_(*(Customer.search_key.like(p, escape="\\") for p in patterns)))


def _products(text: str):
    pattern = _like(text)
    return select(Product.id).where(or_(_matching(Product.model, pattern), _matching(Product.name, pattern)))


def matches(query: str) -> ColumnElement[bool]:
    """Orders the search text finds (an empty text finds nothing; the caller leaves the filter out)."""
    text = typed(query)[:MAX_LENGTH]
    if not text:
        return false()
    pattern = _like(text)
    return or_(
        _matching(Order.number, pattern),
        _matching(Order.original_ref, pattern),
        Order.customer_id.in_(_customers(text)),
        Order.product_id.in_(_products(text)),
    )


def rank(query: str) -> ColumnElement[int]:
    """How well an order matches (EXACT … PARTY), for sorting the found orders."""
    text = typed(query)[:MAX_LENGTH]
    exact, prefix, part = escaped(text), _like(text, prefix_only=True), _like(text)

    def either(pattern: str) -> ColumnElement[bool]:
        return or_(_matching(Order.number, pattern), _matching(Order.original_ref, pattern))

    exact_party = or_(
        Order.customer_id.in_(select(Customer.id).where(_matching(Customer.code, exact))),
        Order.product_id.in_(select(Product.id).where(_matching(Product.model, exact))),
    )
    return case(
        (either(exact), EXACT),
        (either(prefix), PREFIX),
        (exact_party, PARTY_EXACT),
        (either(part), PART),
        else_=PARTY,
    )
