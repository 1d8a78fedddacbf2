"""Quantities as people read them: in the user's locale with thousands separators, grams shown as
kilograms from 1,000 g on (and kilograms below 1 kg as grams), unit names in the user's language.
One helper for every page (the `quantity` template filter); stored values never change."""

from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

GRAMS_PER_KG = Decimal(1000)
# Units as the SKU master writes them (lower case) → the name shown; others are shown as written.
UNIT_NAMES = {
    "pcs": _l("pcs"),
    "pc": _l("pcs"),
    "g": _l("g"),
    "kg": _l("kg"),
    "t": _l("t"),
    "m": _l("m"),
    "set": _l("set"),
    "box": _l("box"),
    "roll": _l("roll"),
    "l": _l("L"),
}


def for_display(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """(value, unit) in the unit that reads best: 1183676 g → 1183.676 kg, 0.25 kg → 250 g."""
    key = (unit or "").strip().lower()
    if key == "g" and abs(value) >= GRAMS_PER_KG:
        return value / GRAMS_PER_KG, "kg"
    if key == "kg" and 0 < abs(value) < 1:
        return value * GRAMS_PER_KG, "g"
    return value, key or unit


def unit_name(unit: str) -> str:
    name = UNIT_NAMES.get((unit or "").strip().lower())
    return str(name) if name is not None else unit


def number(value: Decimal, locale: str | None = None) -> str:
    """12345.5 → "12,345.5" (up to 3 places, no trailing zeros), in the user's locale."""
    where = locale or str(get_locale() or "zh_CN")
    return format_decimal(Decimal(value).normalize(), format="#,##0.###", locale=where)


def quantity(value: Decimal | int | float | None, unit: str = "", locale: str | None = None) -> str:
    """ "1,183.676 千克", "707.5 pcs": a quantity and its unit as the user reads them; "—" for none."""
    if value is None:
        return "—"
    shown, shown_unit = for_display(Decimal(str(value)), unit)
    name = unit_name(shown_unit)
    return f"{number(shown, locale)} {name}".strip()
