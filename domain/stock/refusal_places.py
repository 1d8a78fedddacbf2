"""The warehouse a refused scan happened in, for the exceptions page (DESIGN §6: refusals are audited):
named by the location label scanned when its signature checks, else by the transfer's source warehouse.
A hand-made label names none; the refusal is then listed without a warehouse, never with a guess."""

from typing import Any

from sqlalchemy import select

from domain.masterdata import Location, Warehouse
from extensions import db
from scanning.errors import LabelRefused
from scanning.label_signing import current_key, read_location_label

# The fields of a stock or transfer request that hold a scanned location label, most telling first.
LABEL_FIELDS = ("location_label", "from_label", "to_label")


def scanned_label(payload: Any) -> str:
    """The first location label the request carries; "" when none."""
    if not isinstance(payload, dict):
        return ""
    return next((str(payload[name]) for name in LABEL_FIELDS if payload.get(name)), "")


def refusal_warehouse(payload: Any) -> str:
    """The code of the warehouse the refused request names, "" when it names none that checks."""
    if label := scanned_label(payload):
        try:
            location_id = read_location_label(current_key(), label)
        except LabelRefused:
            return ""
        found = db.session.execute(
            select(Warehouse.code)
            .join(Location, Location.warehouse_id == Warehouse.id)
            .where(Location.id == location_id)
        ).scalar()
        return found or ""
    source = payload.get("from_warehouse") if isinstance(payload, dict) else None
    return str(source)[:32] if source else ""
