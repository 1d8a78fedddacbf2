"""Quantities, for every area (stock, transfers, kitting, service, task cards): exact decimals with 3
places, stored as whole thousandths, and the refusal of a value that is none.

SQLite keeps NUMERIC values as binary floats, so `0.3 - 0.1 - 0.1 - 0.1` would end a hair below zero
and trip the `qty >= 0` check, and a ledger sum would drift from its balance. Integers are exact on
every database; Python sees `Decimal` throughout.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

from domain.errors import DomainError

PLACES = 3
SCALE = 10**PLACES
STEP = Decimal(1).scaleb(-PLACES)  # 0.001
MAX = Decimal(10**11)  # matches the Numeric(14, 3) quantities elsewhere in the schema


class NotAQuantity(ValueError):
    """Why a value is no stock quantity, so the refusal can say the right thing."""

    NOT_A_NUMBER = "not_a_number"
    TOO_LARGE = "too_large"
    TOO_MANY_PLACES = "too_many_places"

    def __init__(self, reason: str, value: Any):
        super().__init__(f"{reason}: {value!r}")
        self.reason = reason


def as_quantity(value: Any) -> Decimal:
    """`value` as a Decimal with exactly 3 places; NotAQuantity (a ValueError) if it is not a finite
    number, is MAX or more, or has more places."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as error:
        raise NotAQuantity(NotAQuantity.NOT_A_NUMBER, value) from error
    if not number.is_finite():
        raise NotAQuantity(NotAQuantity.NOT_A_NUMBER, value)
    if abs(number) >= MAX:
        raise NotAQuantity(NotAQuantity.TOO_LARGE, value)
    exact = number.quantize(STEP)
    if exact != number:
        raise NotAQuantity(NotAQuantity.TOO_MANY_PLACES, value)
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


def quantity(value: Decimal | str | float) -> Decimal:
    try:
        return as_quantity(value)
    except NotAQuantity as error:
        raise refused_quantity(quantity_problem(error)) from error


def quantity_problem(error: NotAQuantity) -> str:
    """What is wrong with a refused quantity, in the user's words (1e12 is too large, not too precise)."""
    if error.reason == NotAQuantity.TOO_LARGE:
        return _("A quantity must be less than %(max)s.", max=f"{MAX:,.0f}")
    if error.reason == NotAQuantity.TOO_MANY_PLACES:
        return _("Enter a quantity with at most 3 decimal places.")
    return _("Enter a quantity as a number.")


def refused_quantity(message: str) -> DomainError:
    return DomainError("invalid_quantity", message, {"qty": message})
