"""The six routes every master-data resource has, added to a resource's own flask-smorest Blueprint.

    blp = Blueprint("api_customers", __name__, url_prefix="/customers", description="...")
    add_routes(blp, "customers", CustomerOut)   # kind = a key of domain.masterdata_admin.ENTITIES

gives GET "" (paged, ?q= ?active= ?sort= and ?<reference>_id= filters), POST "" (201), GET /<id>,
PATCH /<id> (only the fields sent change), POST /<id>/deactivate and POST /<id>/reactivate.
Reads: any signed-in user unless `readers` names the roles (prices: the price roles); writes: admin.
Request bodies use the entity's schema, so the OpenAPI
document shows the same rules the service enforces. Decimals are JSON strings in responses.
"""

from collections.abc import Iterable

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api.paging import ListArgs, page_body, page_of
from domain.masterdata_admin import service
from domain.masterdata_admin.entities import Entity
from domain.roles import ADMIN


def decimal_out(**metadata: str) -> ma.fields.Decimal:
    """An exact decimal in a response, as a JSON string ("12.5000", the column's scale), documented so."""
    return ma.fields.Decimal(as_string=True, metadata={"type": "string", "format": "decimal", **metadata})


def add_routes(blp: Blueprint, kind: str, out: type[ma.Schema], readers: Iterable[str] | None = None) -> None:
    """`readers`: the roles that may read (default every signed-in user)."""
    spec = service.entity(kind)
    _add_reads(blp, spec, out, tuple(readers or ()))
    _add_writes(blp, spec, out)


def _list_args(spec: Entity) -> type[ma.Schema]:
    keys = [*spec.sorts, *(f"-{k}" for k in spec.sorts)]
    fields: dict[str, ma.fields.Field] = {
        "sort": ma.fields.String(
            load_default="",
            validate=ma.validate.OneOf(["", *keys]),
            metadata={"description": "- for descending"},
        )
    }
    for name in spec.references:
        fields[name] = ma.fields.Integer(
            load_default=None, metadata={"description": f"only rows with this {name}"}
        )
    name = spec.schema.__name__.removesuffix("In") + "ListArgs"
    return type(name, (ListArgs,), fields)


def _add_reads(blp: Blueprint, spec: Entity, out: type[ma.Schema], readers: tuple[str, ...]) -> None:
    @blp.route("", methods=["GET"])
    @blp.doc(
        summary=f"List {spec.kind}", description="Paged; active and deactivated rows unless ?active= says."
    )
    @blp.arguments(_list_args(spec), location="query")
    @blp.response(200, page_of(out))
    @roles_required(*readers)
    def list_rows(args: dict):
        filters = {n: args[n] for n in spec.references if args.get(n) is not None}
        query = service.ListQuery(
            q=args["q"],
            active=args["active"],
            sort=args["sort"],
            page=args["page"],
            per_page=args["per_page"],
            filters=filters,
        )
        return page_body(service.page(spec.kind, query))

    @blp.route("/<int:row_id>", methods=["GET"])
    @blp.doc(summary=f"One of {spec.kind}")
    @blp.response(200, out)
    @blp.alt_response(404, response="NOT_FOUND")
    @roles_required(*readers)
    def get_row(row_id: int):
        return service.get(spec.kind, row_id)


def _add_writes(blp: Blueprint, spec: Entity, out: type[ma.Schema]) -> None:
    change = type(spec.schema.__name__.removesuffix("In") + "Change", (spec.schema,), {})

    @blp.route("", methods=["POST"])
    @blp.doc(summary=f"Create one of {spec.kind}")
    @blp.arguments(spec.schema)
    @blp.response(201, out)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(409, response="CONFLICT", description="duplicate: the `fields` entry names the field")
    @roles_required(ADMIN)
    def create_row(body: dict):
        return service.create(spec.kind, body, current_user)

    @blp.route("/<int:row_id>", methods=["PATCH"])
    @blp.doc(summary=f"Change one of {spec.kind}", description="Only the fields sent change.")
    @blp.arguments(change(partial=True))
    @blp.response(200, out)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="duplicate: the `fields` entry names the field")
    @roles_required(ADMIN)
    def update_row(body: dict, row_id: int):
        return service.update(spec.kind, row_id, body, current_user)

    for action, active in (("deactivate", False), ("reactivate", True)):
        _add_switch(blp, spec, out, action, active)


def _add_switch(blp: Blueprint, spec: Entity, out: type[ma.Schema], action: str, active: bool) -> None:
    def switch(row_id: int):
        return service.set_active(spec.kind, row_id, active, current_user)

    switch.__name__ = f"{action}_row"
    view = roles_required(ADMIN)(switch)
    view = blp.alt_response(404, response="NOT_FOUND")(view)
    view = blp.alt_response(403, response="FORBIDDEN")(view)
    view = blp.response(200, out)(view)
    view = blp.doc(
        summary=f"{action.capitalize()} one of {spec.kind}", description="Repeating it changes nothing."
    )(view)
    blp.route(f"/<int:row_id>/{action}", methods=["POST"])(view)
