"""/api/v1/shipments: delivery documents (发货单) with lots and serial numbers, and serial look-up."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from blueprints.access import roles_required
from blueprints.api.idempotent import idempotent
from blueprints.api.stock_schemas import Text, quantity_field, quantity_out
from domain.errors import NotFound
from domain.quality import shipment_service
from domain.quality.shipments import Shipment, ShipmentLine, serial_facts
from domain.roles import ADMIN, CS, QC, SERVICE, WAREHOUSE
from extensions import db

blp = Blueprint("api_shipments", __name__, url_prefix="/shipments", description="Shipments and serials")


class ShipmentLineIn(ma.Schema):
    sku = Text(required=True, validate=ma.validate.Length(min=1, max=64))
    qty = quantity_field(required=True)
    lot = Text(load_default="", validate=ma.validate.Length(max=64))
    serials = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=64)), load_default=list)


class ShipmentIn(ma.Schema):
    order = Text(
        required=True, validate=ma.validate.Length(min=1, max=32), metadata={"description": "SO number"}
    )
    ship_date = ma.fields.Date(required=True)
    lines = ma.fields.List(
        ma.fields.Nested(ShipmentLineIn), required=True, validate=ma.validate.Length(min=1, max=200)
    )
    note = Text(load_default="", validate=ma.validate.Length(max=300))


class ShipmentLineOut(ma.Schema):
    sku = ma.fields.Function(lambda line: line.sku.code)
    lot = ma.fields.Function(lambda line: line.lot.code if line.lot else None)
    qty = quantity_out()
    serials = ma.fields.Function(lambda line: [s.serial for s in line.serials])


class ShipmentOut(ma.Schema):
    id = ma.fields.Integer()
    number = Text()
    order = ma.fields.Function(lambda s: s.order.number)
    customer_code = ma.fields.Function(lambda s: s.customer.code)
    customer_name = ma.fields.Function(lambda s: s.customer.name)
    ship_date = ma.fields.Date()
    note = Text()
    lines = ma.fields.List(ma.fields.Nested(ShipmentLineOut))


class ShippedSerialOut(ma.Schema):
    serial = Text()
    order_id = ma.fields.Integer()
    order_number = Text()
    customer_id = ma.fields.Integer()
    customer_code = Text()
    customer_name = Text()
    ship_date = ma.fields.Date()
    shipment_number = Text()
    product_id = ma.fields.Integer(allow_none=True)
    product_model = Text(allow_none=True)
    lot = Text(allow_none=True)


def _load(shipment_id: int) -> Shipment:
    found = db.session.execute(
        select(Shipment)
        .options(selectinload(Shipment.lines).selectinload(ShipmentLine.serials))
        .where(Shipment.id == shipment_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("shipment", shipment_id)
    return found


@blp.route("", methods=["POST"])
@blp.arguments(ShipmentIn)
@idempotent()
@blp.response(201, ShipmentOut)
@blp.alt_response(409, description="serial_taken, order_not_shippable")
@blp.alt_response(422, description="unknown_order_reference, unknown_sku, unknown_lot, too_many_serials")
@roles_required(WAREHOUSE, ADMIN)
def create_shipment(body: dict):
    lines = [shipment_service.LineIn(**line) for line in body["lines"]]
    shipment = shipment_service.record_shipment(
        body["order"], body["ship_date"], lines, current_user, body["note"]
    )
    return _load(shipment.id)


@blp.route("/<int:shipment_id>", methods=["GET"])
@blp.response(200, ShipmentOut)
@roles_required(WAREHOUSE, ADMIN, QC, CS, SERVICE)
def get_shipment(shipment_id: int):
    return _load(shipment_id)


@blp.route("/serials/<path:serial>", methods=["GET"])
@blp.response(200, ShippedSerialOut)
@roles_required(WAREHOUSE, ADMIN, QC, CS, SERVICE)
def get_serial(serial: str):
    """A shipped serial's order, customer, product, lot and ship date (for after-sales)."""
    facts = serial_facts(serial)
    if facts is None:
        raise NotFound("serial", serial)
    return facts
