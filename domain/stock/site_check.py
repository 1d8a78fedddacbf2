"""Proof that a worker stands at a location: its signed label scanned, and a GPS fix inside its fence.

GPS alone never moves stock: the label is required and checked first, and the fix is logged with
its signal flags whatever the outcome.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from domain import audit
from domain.errors import DomainError, leaf_refusals
from domain.masterdata import Location, Warehouse
from domain.stock.gps_fixes import GpsInput, LoggedFix, record_fix, require_fresh
from extensions import db
from geofence.decision import FenceDecision, require_on_site
from geofence.prepared import metric_fence
from scanning.label_signing import current_key, read_location_label


@dataclass(frozen=True)
class Place:
    """A location and the warehouse it is in, as the scan checks need them (read in one query)."""

    location_id: int
    location_code: str
    warehouse_id: int
    warehouse_code: str
    warehouse_name: str
    fence: dict[str, Any] | None
    capacity: Decimal  # in handling units
    handling_unit: str


_PLACE = (
    select(
        Location.id,
        Location.code,
        Warehouse.id,
        Warehouse.code,
        Warehouse.name,
        Warehouse.fence,
        Warehouse.capacity,
        Warehouse.handling_unit,
        Location.active & Warehouse.active,
    )
    .join(Warehouse, Warehouse.id == Location.warehouse_id)
    .where(Location.id == bindparam("location_id"))
)


@dataclass(frozen=True)
class OnSite:
    place: Place
    fix: LoggedFix
    decision: FenceDecision


def labelled_location(label: str) -> Place:
    """The active location (and its warehouse) a signed label names."""
    with leaf_refusals():
        location_id = read_location_label(current_key(), label)
    row = db.session.execute(_PLACE, {"location_id": location_id}).first()
    if row is None:
        raise DomainError(
            "invalid_location_label",
            _("This label names a location that no longer exists."),
            {"location_label": _("unknown location")},
        )
    place = Place(*row[:8])
    if not row[8]:
        raise DomainError(
            "location_inactive",
            _("Location %(location)s is no longer in use.", location=place.location_code),
            {"location_label": _("location not in use")},
        )
    return place


def checked_location(label: str, actor: Any) -> Place:
    """The phone's check of a scanned location label, before anything is counted. A hand-made label
    (its signature wrong) is worth knowing about (DESIGN §6: refusals audited), so it is audited even
    though it is refused."""
    try:
        return labelled_location(label)
    except DomainError as refusal:
        if refusal.code == "invalid_location_label":
            audit.record_refusal("label_refused", "location_label", {"label": label[:200]}, actor=actor)
        raise


def confirm_on_site(
    label: str, gps: GpsInput, actor: Any, purpose: str, *, warehouse_id: int | None = None
) -> OnSite:
    """The scanned location, checked to lie in `warehouse_id` when given, with the worker's fix inside
    that warehouse's fence (DESIGN §6 accept rule)."""
    place = labelled_location(label)
    if warehouse_id is not None and place.warehouse_id != warehouse_id:
        expected = db.session.get(Warehouse, warehouse_id)
        raise DomainError(
            "wrong_warehouse_location",
            _(
                "Location %(location)s is in warehouse %(actual)s, not in %(expected)s.",
                location=place.location_code,
                actual=place.warehouse_code,
                expected=expected.code if expected else warehouse_id,
            ),
            {"location_label": _("location of another warehouse")},
        )
    require_fresh(gps)
    fix = record_fix(actor, gps, purpose)
    return OnSite(place, fix, require_in_fence(place, gps))


def require_in_fence(place: Place, gps: GpsInput) -> FenceDecision:
    """The fix inside the fence of the location's warehouse (or within its accuracy), else refused."""
    if not place.fence:
        raise DomainError(
            "warehouse_without_fence",
            _(
                "Warehouse %(warehouse)s has no geofence yet; ask an administrator to draw it.",
                warehouse=place.warehouse_code,
            ),
        )
    with leaf_refusals():
        return require_on_site(
            metric_fence(place.fence),
            gps.lon,
            gps.lat,
            gps.accuracy_m,
            f"{place.warehouse_code} {place.warehouse_name}",
        )
