"""Request and response shapes shared by the stock and transfer resources: the GPS fix, quantities."""

from datetime import datetime

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
        load_default=0.0,
        validate=ma.validate.Range(min=0, max=100_000),
        metadata={"description": "metres; 0 or missing is accepted but flagged"},
    )
    at = UtcDateTime(
        load_default=None, metadata={"description": "when the phone took the fix (ISO 8601); default now"}
    )
    confirmed_at = UtcDateTime(
        load_default=None,
        metadata={
            "description": "when the worker confirmed the scan (ISO 8601); the fix's age is measured "
            "at this moment, so a scan queued offline is not refused for arriving late; default now"
        },
    )

    @ma.post_load
    def to_input(self, data: dict, **_kwargs) -> GpsInput:
        return GpsInput(
            lat=data["lat"],
            lon=data["lon"],
            accuracy_m=data["accuracy"] or 0.0,
            at=_naive_utc(data.get("at")),
            confirmed_at=_naive_utc(data.get("confirmed_at")),
        )


def _naive_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)  # stored as naive UTC like every timestamp


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
