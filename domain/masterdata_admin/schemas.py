"""One marshmallow schema per master-data entity: the single validation of what an admin may enter.

Field names equal the model's attribute names. `metadata["label"]` is the form label (the admin pages
build their inputs from these schemas), `metadata["description"]` documents the API field.
"""

from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.masterdata import Customer, Product, Warehouse, Workshop
from domain.masterdata_admin.fields import Amount, Code, Count, Reference, Text, latitude, longitude
from domain.roles import LEADER
from domain.users import User

SKU_KINDS = ("material", "part", "finished")


def _name(max_length: int = 100) -> Text:
    return Text(
        required=True,
        validate=ma.validate.Length(min=1, max=max_length, error=_l("1 to {max} characters.")),
        metadata={"label": _l("Name")},
    )


def _optional_text(label: Any, max_length: int) -> Text:
    return Text(
        load_default="",
        validate=ma.validate.Length(max=max_length, error=_l("At most {max} characters.")),
        metadata={"label": label},
    )


class CustomerIn(ma.Schema):
    code = Code(32, metadata={"label": _l("Customer code")})
    name = _name(200)
    address = _optional_text(_l("Address"), 300)
    lat = latitude(allow_none=True, load_default=None, metadata={"label": _l("Latitude")})
    lon = longitude(allow_none=True, load_default=None, metadata={"label": _l("Longitude")})
    blocked = ma.fields.Boolean(
        load_default=False,
        metadata={"label": _l("Blocked (no new orders)"), "description": "no new orders are accepted"},
    )
    purchase_12m = Amount(14, 4, metadata={"label": _l("Purchases, last 12 months")})

    @ma.validates_schema
    def _both_coordinates(self, data: dict[str, Any], partial: Any = None, **kwargs: Any) -> None:
        """A point needs both halves; half a coordinate would put the customer on the equator.
        (A partial change is checked by the service once merged with the stored row.)"""
        if partial:
            return
        has_lat, has_lon = data.get("lat") is not None, data.get("lon") is not None
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            raise ma.ValidationError(_("Give both latitude and longitude, or neither."), missing)


class ProductIn(ma.Schema):
    model = Code(64, metadata={"label": _l("Model")})
    name = _name(200)
    std_lead_days = Count(3650, load_default=15, metadata={"label": _l("Standard lead time (days)")})
    mold = _optional_text(_l("Mold"), 64)
    colorant = _optional_text(_l("Colorant"), 64)
    needs_first_article = ma.fields.Boolean(
        load_default=True,
        metadata={
            "label": _l("Needs a first-article inspection"),
            "description": "beyond the sample no good output is reported until the first article passed",
        },
    )
    first_article_qty = Count(
        10000,
        load_default=5,
        metadata={
            "label": _l("First-article sample (pieces)"),
            "description": "good pieces a work order may report before its first-article inspection",
        },
    )


class PriceListEntryIn(ma.Schema):
    customer_id = Reference(Customer, required=True, metadata={"label": _l("Customer")})
    product_id = Reference(Product, required=True, metadata={"label": _l("Product")})
    unit_price = Amount(14, 4, required=True, metadata={"label": _l("Unit price")})
    unit_cost = Amount(14, 4, required=True, metadata={"label": _l("Unit cost")})
    currency = Text(
        load_default="CNY",
        validate=ma.validate.Regexp(r"^[A-Z]{3}$", error=_l("Three capital letters, e.g. CNY.")),
        metadata={"label": _l("Currency")},
    )


class SkuIn(ma.Schema):
    code = Code(64, metadata={"label": _l("SKU code")})
    name = _name(200)
    unit = Text(
        load_default="pcs",
        validate=ma.validate.Length(min=1, max=16, error=_l("1 to {max} characters.")),
        metadata={"label": _l("Unit")},
    )
    kind = Text(
        load_default="material",
        validate=ma.validate.OneOf(SKU_KINDS, error=_l("Choose material, part or finished.")),
        metadata={
            "label": _l("Kind"),
            "choices": {"material": _l("Material"), "part": _l("Part"), "finished": _l("Finished good")},
        },
    )
    safety_stock = Amount(14, 3, metadata={"label": _l("Safety stock")})
    # Warehouse capacity counts handling units (domain/stock/handling_units.py); 0 counts as 1.
    units_per_handling_unit = Amount(
        14, 3, load_default=Decimal(1), metadata={"label": _l("Units per pallet position (or m³)")}
    )
    colour = _optional_text(_l("Colour it gives, as notes name it (e.g. 灰色|Cool Gray)"), 100)


class WorkshopIn(ma.Schema):
    code = Code(32, metadata={"label": _l("Workshop code")})
    name = _name()


class TeamIn(ma.Schema):
    code = Code(32, metadata={"label": _l("Team code")})
    name = _name()
    workshop_id = Reference(Workshop, required=True, metadata={"label": _l("Workshop")})
    leader_id = Reference(
        User,
        role=LEADER,
        allow_none=True,
        load_default=None,
        metadata={"label": _l("Team leader"), "description": "a user holding the leader role"},
    )
    wecom_robot_key = Text(
        load_default="",
        validate=ma.validate.Length(max=100, error=_l("At most {max} characters.")),
        metadata={
            "label": _l("WeCom group robot key"),
            "description": "the key of the team group's robot webhook: its cards go there too; never shown",
            "secret": True,
        },
    )


class LocationIn(ma.Schema):
    warehouse_id = Reference(Warehouse, required=True, metadata={"label": _l("Warehouse")})
    code = Code(32, metadata={"label": _l("Location code")})
    name = _optional_text(_l("Name"), 100)


class ServicePointIn(ma.Schema):
    code = Code(32, metadata={"label": _l("Service point code")})
    name = _name()
    address = _optional_text(_l("Address"), 300)
    lat = latitude(required=True, metadata={"label": _l("Latitude")})
    lon = longitude(required=True, metadata={"label": _l("Longitude")})
    warehouse_id = Reference(
        Warehouse,
        allow_none=True,
        load_default=None,
        metadata={"label": _l("Spare-parts warehouse"), "description": "optional"},
    )


def decimal_text(value: Decimal | None) -> str:
    """A decimal as people write it: 12.5, not 12.5000 or 1.25E+1."""
    return "" if value is None else format(Decimal(value).normalize(), "f")
