"""Paged lists for the API: numbered pages for master data (?page=&per_page=&q=&active=&sort=) and
keyset pages (?cursor=&limit=) for the lists that grow; one envelope each.

Use in any list endpoint (the master-data resources do; other resources may):

    @blp.route("", methods=["GET"])
    @blp.arguments(ListArgs, location="query")  # or a subclass adding filters
    @blp.response(200, page_of(ThingOut))  # {"items": [...], "page", "per_page", "total", "pages"}
    @roles_required()
    def list_things(args: dict):
        return page_body(db.paginate(select_stmt, page=args["page"], per_page=args["per_page"]))

`page_body` takes a Flask-SQLAlchemy Pagination (or anything with items/page/per_page/total/pages).
"""

from typing import Any

import marshmallow as ma

MAX_PER_PAGE = 100

_PAGE_SCHEMAS: dict[type[ma.Schema], type[ma.Schema]] = {}


class ListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))
    q = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=100),
        metadata={"description": "text to look for (case-insensitive, anywhere in code or name)"},
    )
    active = ma.fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "true: active rows only; false: deactivated only; absent: both"},
    )
    sort = ma.fields.String(load_default="", metadata={"description": "a sort key; prefix - for descending"})


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope schema for a page of `item_schema`, named <Item>Page in the OpenAPI document."""
    if item_schema not in _PAGE_SCHEMAS:
        name = item_schema.__name__.removesuffix("Schema").removesuffix("Out") + "Page"
        _PAGE_SCHEMAS[item_schema] = ma.Schema.from_dict(
            {
                "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
                "page": ma.fields.Integer(required=True),
                "per_page": ma.fields.Integer(required=True),
                "total": ma.fields.Integer(required=True, metadata={"description": "rows matching"}),
                "pages": ma.fields.Integer(required=True),
            },
            name=name,
        )
    return _PAGE_SCHEMAS[item_schema]


def page_body(pagination: Any) -> dict[str, Any]:
    return {
        "items": list(pagination.items),
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total or 0,
        "pages": pagination.pages,
    }


# Lists that grow (the ledger, transfers, tickets, ...): keyset pages, the shape of /api/v1/orders.
# Follow `next_cursor` until it is null; every row comes once, whatever is added meanwhile.
_CURSOR_PAGES: dict[type[ma.Schema], type[ma.Schema]] = {}


class CursorArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))
    cursor = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=500),
        metadata={"description": "next_cursor of the previous page; absent for the first page"},
    )


def cursor_page_of(item_schema: type[ma.Schema], **extra: ma.fields.Field) -> type[ma.Schema]:
    """`{"items", "total", "next_cursor"}` for `item_schema`, named <Item>CursorPage."""
    if item_schema not in _CURSOR_PAGES:
        name = item_schema.__name__.removesuffix("Schema").removesuffix("Out") + "CursorPage"
        fields = {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "total": ma.fields.Integer(required=True, metadata={"description": "rows matching"}),
            "next_cursor": ma.fields.String(
                required=True, allow_none=True, metadata={"description": "null on the last page"}
            ),
        }
        _CURSOR_PAGES[item_schema] = ma.Schema.from_dict(fields | extra, name=name)
    return _CURSOR_PAGES[item_schema]


def cursor_body(page: Any, items: list[Any] | None = None) -> dict[str, Any]:
    """A domain keyset page as the envelope; `items` when the view turns rows into something else."""
    return {
        "items": page.items if items is None else items,
        "total": page.total,
        "next_cursor": page.next_cursor,
    }
