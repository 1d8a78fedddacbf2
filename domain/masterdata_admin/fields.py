"""marshmallow fields for the master-data schemas: trimmed text, codes, amounts, coordinates, references."""

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")  # printed on labels, typed on phones


class Text(ma.fields.String):
    """A string with surrounding blanks removed: a code typed as "C001 " is the code "C001"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Code(Text):
    """An identifying code of 1..`max_length` letters, digits, dots, slashes, dashes or underscores."""

    def __init__(self, max_length: int, **kwargs: Any) -> None:
        rules = [
            ma.validate.Length(min=1, max=max_length, error=_l("1 to {max} characters.")),
            ma.validate.Regexp(
                CODE_PATTERN,
                error=_l(
                    "Letters, digits, dots, slashes, dashes or underscores; start with a letter or digit."
                ),
            ),
        ]
        super().__init__(required=kwargs.pop("required", True), validate=rules, **kwargs)


class Amount(ma.fields.Decimal):
    """A non-negative exact number with at most `places` decimals that fits Numeric(`digits`, `places`).

    Too many decimals is refused rather than rounded: a price silently rounded is a wrong price.
    """

    def __init__(self, digits: int, places: int, **kwargs: Any) -> None:
        self.digits, self.places_allowed = digits, places
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", Decimal(0))
        kwargs["metadata"] = {"description": "a number or a decimal string", **kwargs.get("metadata", {})}
        super().__init__(allow_nan=False, validate=self._check, **kwargs)

    def _check(self, value: Decimal) -> None:
        if value < 0:
            raise ma.ValidationError(_("Must be 0 or more."))
        if value >= Decimal(10) ** (self.digits - self.places_allowed):
            raise ma.ValidationError(_("This number is too large."))
        if value != value.quantize(Decimal(1).scaleb(-self.places_allowed)):
            raise ma.ValidationError(_("Use at most %(n)s decimal places.", n=self.places_allowed))


class Count(ma.fields.Integer):
    """A whole number from 0 to `maximum` (days, minutes)."""

    def __init__(self, maximum: int, **kwargs: Any) -> None:
        error = _l("A whole number from 0 to {max}.")
        super().__init__(strict=False, validate=ma.validate.Range(min=0, max=maximum, error=error), **kwargs)


def latitude(**kwargs: Any) -> ma.fields.Float:
    error = _l("Latitude is a number from -90 to 90.")
    return ma.fields.Float(
        allow_nan=False, validate=ma.validate.Range(min=-90, max=90, error=error), **kwargs
    )


def longitude(**kwargs: Any) -> ma.fields.Float:
    error = _l("Longitude is a number from -180 to 180.")
    return ma.fields.Float(
        allow_nan=False, validate=ma.validate.Range(min=-180, max=180, error=error), **kwargs
    )


class Reference(ma.fields.Integer):
    """The id of a row of `model`; the service checks that it exists and is active (and, with `role`,
    that the user holds that role), because a schema cannot see the database."""

    def __init__(self, model: type, role: str | None = None, **kwargs: Any) -> None:
        self.model, self.role = model, role
        super().__init__(strict=False, **kwargs)
