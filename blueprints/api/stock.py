"""/api/v1/stock: on-hand balances, the ledger, scanner moves (idempotent) and signed location labels."""

from datetime import UTC

import marshmallow as ma
from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint

from blueprints.access import roles_required
from blueprints.api import ledger_files
from blueprints.api.fast_json import fast_json
from blueprints.api.fields import UtcDateTime
from blueprints.api.idempotent import idempotent
from blueprints.api.paging import CursorArgs, cursor_body, cursor_page_of
from blueprints.api.stock_schemas import GpsIn, Text, location_label_field, quantity_field, quantity_out
from domain.clock import as_utc
from domain.errors import DomainError
from domain.roles import ADMIN, PLANNER, SUPERVISOR, WAREHOUSE
from domain.stock import counts, ledger_feed, queries, relocation
from domain.stock.gps_fixes import record_fix
from domain.stock.move_rules import SCANNER_KINDS
from domain.stock.moves import MoveRequest, apply_move
from domain.stock.usual_quantity import usual_quantity

blp = Blueprint("api_stock", __name__, url_prefix="/stock", description="Stock on hand and stock moves")


class MoveIn(ma.Schema):
    kind = Text(required=True, validate=ma.validate.OneOf(SCANNER_KINDS))
    sku = Text(
        required=True, validate=ma.validate.Length(min=1, max=64), metadata={"description": "SKU code"}
    )
    lot = Text(load_default="", validate=ma.validate.Length(max=64))
    qty = quantity_field(required=True)
    location_label = location_label_field()
    gps = ma.fields.Nested(GpsIn, required=True)
    reason = Text(
        load_default=None, validate=ma.validate.Length(max=200), metadata={"description": "adjustments"}
    )
    ref = Text(
        load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "order number"}
    )
    warehouse = Text(load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "code"})


class MoveOut(ma.Schema):
    id = ma.fields.Integer()
    at = UtcDateTime()
    kind = Text()
    sku = Text()
    lot = Text()
    location = Text()
    warehouse = Text()
    qty = quantity_out()
    on_hand = quantity_out()
    ref = Text(allow_none=True)
    gps_flags = ma.fields.List(Text())


class StockQuery(CursorArgs):
    sku = Text(load_default=None, metadata={"description": "SKU code"})
    warehouse = Text(load_default=None, metadata={"description": "warehouse code"})
    location = Text(load_default=None, metadata={"description": "location code"})
    limit = ma.fields.Integer(load_default=200, validate=ma.validate.Range(min=1, max=1000))


class LedgerQuery(StockQuery):
    since = ma.fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        metadata={"description": "moves at or after this time (UTC unless an offset is given)"},
    )
    until = ma.fields.AwareDateTime(
        load_default=None, default_timezone=UTC, metadata={"description": "moves before this time"}
    )
    order = Text(
        load_default=ledger_feed.OLDEST,
        validate=ma.validate.OneOf(ledger_feed.ORDERS),
        metadata={
            "description": "oldest: commit order, to read the ledger in full and come back for what is "
            "new (resume_cursor); newest: the latest moves first"
        },
    )


class BalanceOut(ma.Schema):
    sku = Text()
    lot = Text()
    location = Text()
    warehouse = Text()
    qty = quantity_out()


class LedgerOut(MoveOut):
    class Meta:
        exclude = ("gps_flags",)

    reason = Text(allow_none=True)
    transfer_id = ma.fields.Integer(allow_none=True)
    user = Text(allow_none=True, metadata={"description": "who made the move (username)"})


LedgerPageOut = cursor_page_of(
    LedgerOut,
    resume_cursor=Text(
        required=True,
        allow_none=True,
        metadata={
            "description": "after the last move served so far: pass it as `cursor` later to get only "
            "the moves made since (null while nothing has been served, and with order=newest)"
        },
    ),
)


class LabelOut(ma.Schema):
    location_id = ma.fields.Integer()
    location = Text()
    warehouse = Text()
    token = Text(metadata={"description": "<id>.<signature>"})
    url = Text(metadata={"description": "what the QR code holds: <base>/s/loc/<token>"})


MOVE_REFUSALS = (
    "A refusal: outside_geofence, gps_inaccurate, invalid_location_label, wrong_warehouse_location, "
    "insufficient_stock, target_capacity_exceeded, missing_order_reference, unknown_order_reference, "
    "idempotency_key_reused ..."
)


def log_refused_fix(refusal: DomainError, body: dict, *_args) -> None:
    """A refused scan still leaves its GPS fix in the log, so spoofing attempts show in the signal."""
    if body.get("gps") is not None:
        record_fix(current_user, body["gps"], f"refused:{refusal.code}"[:32])


@blp.route("", methods=["GET"])
@blp.arguments(StockQuery, location="query")
@blp.response(200, cursor_page_of(BalanceOut))
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def balances(query: dict):
    return cursor_body(queries.balances(**query))


@blp.route("/moves", methods=["GET"])
@blp.arguments(LedgerQuery, location="query")
@blp.response(200, LedgerPageOut)
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def ledger(query: dict):
    """The ledger a page at a time, every move once: follow `next_cursor` to the end, keep
    `resume_cursor` and pass it as `cursor` next time for the moves made since."""
    page = ledger_feed.read(ledger_feed.LedgerFilter(**query | _naive_utc(query)))
    return fast_json(cursor_body(page) | {"resume_cursor": page.resume_cursor})


class ExportQuery(ma.Schema):
    date_from = ma.fields.Date(required=True, metadata={"description": "first plant day, included"})
    date_to = ma.fields.Date(required=True, metadata={"description": "last plant day, included"})
    warehouse = Text(load_default=None, metadata={"description": "warehouse code; absent: all"})


@blp.route("/moves/export.xlsx", methods=["GET"])
@blp.arguments(ExportQuery, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type=ledger_files.XLSX)
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def export_ledger_xlsx(query: dict):
    """The moves of plant days date_from..date_to (and one warehouse), oldest first, in plant time."""
    return ledger_files.export("xlsx", **query)


@blp.route("/moves/export.csv", methods=["GET"])
@blp.arguments(ExportQuery, location="query")
@blp.response(200, {"type": "string"}, content_type=ledger_files.CSV)
@roles_required(WAREHOUSE, PLANNER, ADMIN)
def export_ledger_csv(query: dict):
    """The same as export.xlsx, as UTF-8 CSV with a byte-order mark (Excel reads it as UTF-8)."""
    return ledger_files.export("csv", **query)


def _naive_utc(query: dict) -> dict:
    return {k: as_utc(query[k]) for k in ("since", "until") if query[k]}


@blp.route("/moves", methods=["POST"])
@blp.arguments(MoveIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, MoveOut)
@blp.alt_response(409, description="idempotency_in_progress")
@blp.alt_response(422, description=MOVE_REFUSALS)
@roles_required(WAREHOUSE, SUPERVISOR)
def post_move(body: dict):
    return apply_move(MoveRequest(**body), current_user)


class RelocationIn(ma.Schema):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    lot = Text(load_default="", validate=ma.validate.Length(max=64))
    qty = quantity_field(required=True)
    from_label = location_label_field()
    to_label = location_label_field()
    gps = ma.fields.Nested(GpsIn, required=True)


class RelocationOut(ma.Schema):
    out_id = ma.fields.Integer(metadata={"description": "the ledger row out of the source"})
    in_id = ma.fields.Integer(metadata={"description": "the ledger row into the target"})
    at = UtcDateTime()
    sku = Text()
    lot = Text()
    qty = quantity_out()
    from_location = Text()
    to_location = Text()
    location = ma.fields.Function(lambda r: r.to_location, metadata={"description": "where the stock is now"})
    warehouse = Text()
    on_hand_from = quantity_out()
    on_hand_to = quantity_out()
    gps_flags = ma.fields.List(Text())


@blp.route("/relocations", methods=["POST"])
@blp.arguments(RelocationIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, RelocationOut)
@blp.alt_response(409, description="idempotency_in_progress")
@blp.alt_response(422, description=MOVE_REFUSALS + " relocation_same_location")
@roles_required(WAREHOUSE, SUPERVISOR)
def relocate(body: dict):
    """From one location to another (库位间移库): two ledger rows in one transaction, both labels and
    both warehouses' geofences checked with the fix."""
    return relocation.relocate(relocation.Relocation(**body), current_user)


class CountIn(ma.Schema):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    lot = Text(load_default="", validate=ma.validate.Length(max=64))
    counted = quantity_field(required=True, metadata={"description": "what is on the shelf"})
    location_label = location_label_field()
    gps = ma.fields.Nested(GpsIn, required=True)
    reason = Text(
        load_default="", validate=ma.validate.Length(max=180), metadata={"description": "if it differs"}
    )


class CountOut(ma.Schema):
    at = UtcDateTime()
    sku = Text()
    lot = Text()
    location = Text()
    warehouse = Text()
    on_hand_before = quantity_out()
    counted = quantity_out()
    difference = quantity_out()
    on_hand = ma.fields.Function(lambda c: str(c.counted), metadata={"description": "after the count"})
    move_id = ma.fields.Integer(allow_none=True, metadata={"description": "the adjustment; null if none"})
    gps_flags = ma.fields.List(Text())


@blp.route("/counts", methods=["POST"])
@blp.arguments(CountIn)
@idempotent(on_refusal=log_refused_fix)
@blp.response(201, CountOut)
@blp.alt_response(403, description="adjustment_needs_supervisor")
@blp.alt_response(422, description=MOVE_REFUSALS + " adjustment_reason_required")
@roles_required(WAREHOUSE, SUPERVISOR, ADMIN)
def count(body: dict):
    """A cycle count (盘点): the counted quantity; the difference to the ledger becomes one adjustment
    with the reason. More than ADJUSTMENT_SUPERVISOR_UNITS handling units needs a warehouse
    supervisor or an administrator."""
    return counts.record_count(counts.Count(**body), current_user)


class UsualQuery(ma.Schema):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))


class UsualOut(ma.Schema):
    sku = Text()
    unit = Text(allow_none=True)
    median = ma.fields.Decimal(as_string=True, allow_none=True, metadata={"description": "median move"})
    ask_above = ma.fields.Decimal(
        as_string=True, allow_none=True, metadata={"description": "10× the median: the phone asks once more"}
    )


@blp.route("/usual-quantity", methods=["GET"])
@blp.arguments(UsualQuery, location="query")
@blp.response(200, UsualOut)
@roles_required(WAREHOUSE)
def usual(query: dict):
    """How much of the SKU a move usually takes, for the phone's "are you sure" on an unusual one."""
    return usual_quantity(query["sku"])


@blp.route("/locations/<int:location_id>/label", methods=["GET"])
@blp.response(200, LabelOut)
@roles_required(WAREHOUSE, ADMIN)
def location_label(location_id: int):
    # Behind a proxy the request's own root may be internal; labels must carry the public address.
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return queries.location_label(location_id, base)
