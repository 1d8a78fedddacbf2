"""Stock quantities: exact decimals with 3 places, stored as whole thousandths.

SQLite keeps NUMERIC values as binary floats, so `0.3 - 0.1 - 0.1 - 0.1` would end a hair below zero
and trip the `qty >= 0` check, and a ledger sum would drift from its balance. Integers are exact on
every database; Python sees `Decimal` throughout.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

PLACES = 3
SCALE = 10**PLACES
STEP = Decimal(1).scaleb(-PLACES)  # 0.001
MAX = Decimal(10**11)  # matches the Numeric(14, 3) quantities elsewhere in the schema


def as_quantity(value: Any) -> Decimal:
    """`value` as a Decimal with exactly 3 places; ValueError if it has more or is not finite."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error
    if not number.is_finite() or abs(number) >= MAX:
        raise ValueError(f"not a stock quantity: {value!r}")
    exact = number.quantize(STEP)
    if exact != number:
        raise ValueError(f"more than {PLACES} decimal places: {value!r}")
    return exact


def plain(value: Decimal) -> str:
    """12.500 → "12.5", 3.000 → "3": a quantity as a worker reads it in a message."""
    return format(value.normalize(), "f")


class ExactQty(TypeDecorator):
    """A Decimal quantity in the application, an integer count of thousandths in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> int | None:
        if value is None:
            return None
        return int(as_quantity(value) * SCALE)

    def process_result_value(self, value: Any, dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / SCALE).quantize(STEP)
