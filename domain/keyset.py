"""Keyset pages for the lists that grow (orders, the stock ledger, transfers, tickets, ...): a stable
order whose last key ends in a unique column, and an opaque cursor holding the last row's key, so
page 2,000 costs what page 1 costs and rows added meanwhile are neither skipped nor repeated.

    page = keyset.page(stmt, keys=(Transfer.id,), descending=True, limit=50, cursor=cursor,
                       scope="transfers", key_of=lambda row: (row.id,))

A cursor names its list (`scope`), so one list's cursor given to another is refused, not misread.
"""

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, tuple_

from domain.errors import DomainError
from extensions import db


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int  # rows matching the filters, on every page
    next_cursor: str | None  # None on the last page


def encode(scope: str, key: Sequence[int | str]) -> str:
    text = json.dumps([scope, *key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(scope: str, cursor: str, types: Sequence[type]) -> list[Any]:
    """The key a cursor holds, of these types; a cursor of another list, or not one of ours, is
    `invalid_cursor`."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raw = None
    valid = (
        isinstance(raw, list)
        and len(raw) == len(types) + 1
        and raw[0] == scope
        and all(type(v) is t for v, t in zip(raw[1:], types, strict=False))
    )
    if not valid:
        message = _("This page link is no longer valid; start from the first page.")
        raise DomainError("invalid_cursor", message, {"cursor": message})
    return raw[1:]


def count(stmt: Select) -> int:
    inner = stmt.order_by(None).limit(None).subquery()
    return db.session.execute(select(func.count()).select_from(inner)).scalar_one()


def after(keys: Sequence[Any], values: Sequence[Any], descending: bool = False) -> Any:
    """Rows strictly after `values` in the order of `keys` (a row-value comparison, index-friendly)."""
    if len(keys) == 1:
        return keys[0] < values[0] if descending else keys[0] > values[0]
    left, right = tuple_(*keys), tuple_(*values)
    return left < right if descending else left > right


def page(
    stmt: Select,
    *,
    keys: Sequence[Any],
    key_of: Callable[[Any], Sequence[int | str]],
    scope: str,
    limit: int,
    cursor: str | None = None,
    descending: bool = False,
    scalars: bool = True,
) -> Page:
    """One page of `stmt` (filters applied, no order) in the order of `keys`."""
    total = count(stmt)
    if cursor:
        types = [key.type.python_type for key in keys]
        stmt = stmt.where(after(keys, decode(scope, cursor, types), descending))
    ordered = stmt.order_by(*(k.desc() for k in keys) if descending else keys).limit(limit + 1)
    result = db.session.execute(ordered)
    rows = list(result.scalars().unique() if scalars else result)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, total, encode(scope, key_of(rows[-1])) if more and rows else None)


def by_id(
    stmt: Select, id_column: Any, *, scope: str, limit: int, cursor: str | None, newest_first: bool
) -> Page:
    """The common case: rows of one entity (`stmt` selects it) in the order of their id."""
    return page(
        stmt,
        keys=(id_column,),
        key_of=lambda row: (row.id,),
        scope=scope,
        limit=limit,
        cursor=cursor,
        descending=newest_first,
    )
