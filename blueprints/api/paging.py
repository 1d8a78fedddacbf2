"""Paged lists for the API: one query schema (?page=&per_page=&q=&active=&sort=) and one envelope.

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
