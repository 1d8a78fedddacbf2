"""Request and response shapes shared by the stock and transfer resources: the GPS fix, quantities."""

import marshmallow as ma

from blueprints.api.fields import UtcDateTime
from domain.clock import as_utc
from domain.stock.gps_fixes import GpsInput

Text = ma.fields.String


class GpsIn(ma.Schema):
    """The phone's fix as the browser's Geolocation API gives it (`coords.latitude` ...)."""

    lat = ma.fields.Float(required=True, validate=ma.validate.Range(min=-90, max=90))
    lon = ma.fields.Float(required=True, validate=ma.validate.Range(min=-180, max=180))
    accuracy = ma.fields.Float(
        required=True, validate=ma.validate.Range(min=0, max=100_000), metadata={"description": "metres"}
    )
    at = UtcDateTime(
        load_default=None, metadata={"description": "when the phone took the fix (ISO 8601); default now"}
    )

    @ma.post_load
    def to_input(self, data: dict, **_kwargs) -> GpsInput:
        at = data.get("at")
        if at is not None:
            at = as_utc(at)  # stored as naive UTC like every timestamp
        return GpsInput(lat=data["lat"], lon=data["lon"], accuracy_m=data["accuracy"], at=at)


def quantity_field(**kwargs) -> ma.fields.Decimal:
    """A quantity in, as a JSON number or string; the domain refuses more than 3 decimal places."""
    kwargs["metadata"] = {"example": "12.5", **kwargs.get("metadata", {})}
    return ma.fields.Decimal(**kwargs)


def quantity_out() -> ma.fields.Decimal:
    return ma.fields.Decimal(as_string=True, metadata={"example": "12.500"})


def location_label_field() -> ma.fields.String:
    return Text(
        required=True,
        validate=ma.validate.Length(min=1, max=300),
        metadata={"description": "the scanned location label: its URL, path or <id>.<signature> token"},
    )
