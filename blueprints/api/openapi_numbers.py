"""OpenAPI: Decimal fields' bounds and defaults as JSON numbers. apispec copies a Range validator's
bounds through the Decimal field, so `maximum` came out as the string "10000000000.000", which is not
valid OpenAPI (and every client generator or schema checker reading the document stops there); a
default of 0 came out as "0" the same way."""

from decimal import Decimal

import marshmallow as ma
from flask_smorest import Api


def _decimal_bounds_as_numbers(_converter, field: ma.fields.Field, ret: dict, **_kwargs) -> dict:
    if not isinstance(field, ma.fields.Number):
        return {}
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "default"):
        value = ret.get(key)
        if isinstance(value, Decimal | str):
            try:
                number = Decimal(value)
            except ArithmeticError:
                continue
            ret[key] = int(number) if number == number.to_integral_value() else float(number)
    return {}


def register(api: Api) -> None:
    """Before any blueprint is registered: schemas are turned into the document as blueprints arrive."""
    api.ma_plugin.converter.add_attribute_function(_decimal_bounds_as_numbers)
