"""Handling units (DESIGN §6): warehouse capacity is counted in pallet positions or cubic metres, never
in a SKU's own unit, so grams of resin and pieces of cartons are not summed.

Each SKU says how many of its own unit fill one handling unit (`Sku.units_per_handling_unit`, e.g.
1,000 kg of resin bags per pallet position); a quantity of the SKU takes quantity ÷ that many handling
units. A warehouse's capacity is a number of its `handling_unit` (one kind per plant: the SKU's figure
is for that kind). Plain values in, plain values out: the queries live in domain/stock/capacity.py.
"""

from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError

PALLET, CUBIC_METRE = "pallet", "m3"
HANDLING_UNITS = {PALLET: _l("pallet positions"), CUBIC_METRE: _l("m³")}
SHOWN = Decimal("0.01")  # handling units are told to the worker to the hundredth


def handling_units(qty: Decimal, units_per_handling_unit: Decimal | None) -> Decimal:
    """How many handling units `qty` of a SKU takes; a SKU without a figure counts 1 unit as 1."""
    per = Decimal(units_per_handling_unit or 1)
    return Decimal(qty) / per


def occupied(rows: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal:
    """Handling units taken by (units_per_handling_unit, quantity) rows, one per SKU."""
    return sum((handling_units(qty, per) for per, qty in rows), Decimal(0))


def unit_name(handling_unit: str) -> str:
    return str(HANDLING_UNITS.get(handling_unit, handling_unit))


def shown(value: Decimal) -> str:
    """12.3456 → "12.35", 3.00 → "3": handling units as a worker reads them."""
    rounded = Decimal(value).quantize(SHOWN)
    return format(rounded.normalize(), "f") if rounded else "0"


def require_room(remaining: Decimal | None, needed: Decimal, warehouse_code: str, unit: str = "") -> None:
    """`remaining` and `needed` in the warehouse's handling units (`unit` names them); None means the
    warehouse is not limited."""
    if remaining is not None and needed > remaining:
        message = _(
            "Warehouse %(warehouse)s has room for %(remaining)s %(unit)s more; "
            "this needs %(needed)s %(unit)s.",
            warehouse=warehouse_code,
            remaining=shown(max(remaining, Decimal(0))),
            needed=shown(needed),
            unit=unit or _("handling units"),
        )
        raise DomainError("target_capacity_exceeded", message, {"qty": message})
