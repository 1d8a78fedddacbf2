"""marshmallow's and webargs' stock messages in the user's language: one table for every schema.

The libraries build their messages in English, some with values filled in ("Must be greater than or equal
to 0."), and marshmallow's `Range` fills its wording in when a schema is declared, at import time, before
any request has a language. So the English text is read back here, where the answer is written: every
place that shows a schema's message (the API's error body, the Excel import, the ERP sync, admin forms)
passes it through `translate`. A message not listed here (our own, already translated) is kept as it is.
"""

import re
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_FIXED = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Number too large.": _l("This number is too large."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid utf-8 string.": _l("Not a valid string."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid datetime."),
    "Not a valid aware datetime.": _l("Not a valid datetime with a time zone."),
    "Not a valid naive datetime.": _l("Not a valid datetime without a time zone."),
    "Not a valid time.": _l("Not a valid time."),
    "Not a valid period of time.": _l("Not a valid period of time."),
    "Not a valid list.": _l("Not a list."),
    "Not a valid tuple.": _l("Not a list."),
    "Not a valid mapping type.": _l("Not an object of named values."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Not a valid URL.": _l("Not a valid web address."),
    "Not a valid UUID.": _l("Not a valid UUID."),
    "Special numeric values (nan or infinity) are not permitted.": _l("Must be a finite number."),
    "String does not match expected pattern.": _l("Not in the expected format."),
    "Unknown field.": _l("Unknown field."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid type.": _l("Invalid input type."),
    "Invalid value.": _l("Invalid value."),
    "Invalid input.": _l("Invalid value."),
    "Invalid JSON body.": _l("Invalid JSON body."),
    "Shorter than minimum length 1.": _l("Must not be empty."),
}

_NUMBER = r"(?P<{}>-?[0-9][0-9.eE+-]*)"


def _range(groups: dict[str, str]) -> str:
    low, high = groups.get("low"), groups.get("high")
    low_inclusive = groups.get("low_op") == "greater than or equal to"
    high_inclusive = groups.get("high_op") == "less than or equal to"
    if low is not None and high is not None:
        if low_inclusive and high_inclusive:
            return _("Must be from %(min)s to %(max)s.", min=low, max=high)
        return _("Must be more than %(min)s and less than %(max)s.", min=low, max=high)
    if low is not None:
        return (
            _("Must be %(min)s or more.", min=low)
            if low_inclusive
            else _("Must be more than %(min)s.", min=low)
        )
    assert high is not None
    return (
        _("Must be %(max)s or less.", max=high)
        if high_inclusive
        else _("Must be less than %(max)s.", max=high)
    )


_LOW = r"(?P<low_op>greater than or equal to|greater than) " + _NUMBER.format("low")
_HIGH = r"(?P<high_op>less than or equal to|less than) " + _NUMBER.format("high")

_PATTERNS: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (re.compile(rf"Must be {_LOW} and {_HIGH}\."), _range),
    (re.compile(rf"Must be {_LOW}\."), _range),
    (re.compile(rf"Must be {_HIGH}\."), _range),
    (
        re.compile(r"Length must be between (?P<min>\d+) and (?P<max>\d+)\."),
        lambda g: _("Length must be from %(min)s to %(max)s.", **g),
    ),
    (
        re.compile(r"Shorter than minimum length (?P<min>\d+)\."),
        lambda g: _("Length must be at least %(min)s.", **g),
    ),
    (
        re.compile(r"Longer than maximum length (?P<max>\d+)\."),
        lambda g: _("Length must be at most %(max)s.", **g),
    ),
    (
        re.compile(r"Length must be (?P<equal>\d+)\."),
        lambda g: _("Length must be exactly %(equal)s.", **g),
    ),
    (
        re.compile(r"Must be one of: (?P<choices>.*)\.", re.DOTALL),
        lambda g: _("Must be one of: %(choices)s.", choices=_choices(g["choices"])),
    ),
    (
        re.compile(r"One or more of the choices you made was not in: (?P<choices>.*)\.", re.DOTALL),
        lambda g: _("Must be one of: %(choices)s.", choices=_choices(g["choices"])),
    ),
    (
        re.compile(r"Must be equal to (?P<other>.*)\.", re.DOTALL),
        lambda g: _("Must be %(other)s.", **g),
    ),
    (
        re.compile(r'"(?P<input>.*)" cannot be formatted as an? (?P<kind>\w+)\.', re.DOTALL),
        lambda g: _("“%(input)s” cannot be read as a value of this field.", input=g["input"]),
    ),
    (
        re.compile(r"Not a valid (?P<kind>\w+)\."),
        lambda g: _("Not a valid value for this field."),
    ),
]


def _choices(text: str) -> str:
    """ "A, B, " (the empty choice last) → "A, B, (empty)"."""
    return ", ".join(choice if choice.strip() else str(_("(empty)")) for choice in text.split(", "))


def translate(message: object) -> str:
    """A schema's message (str or lazy string) in the user's language."""
    text = str(message)
    if text in _FIXED:
        return str(_FIXED[text])
    for pattern, render in _PATTERNS:
        if match := pattern.fullmatch(text):
            return render({k: v for k, v in match.groupdict().items() if v is not None})
    return text


def flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested {field: [msg]} (or [msg], or {index: {...}}) → {"field" or "lines.0.qty":
    "msg msg"}, every text translated."""
    if isinstance(messages, list | tuple):
        texts = [m for m in messages if not isinstance(m, dict | list | tuple)]
        out = {prefix or "_body": " ".join(translate(t) for t in texts)} if texts else {}
        for i, item in enumerate(m for m in messages if isinstance(m, dict | list | tuple)):
            out.update(flatten(item, f"{prefix}.{i}" if prefix else str(i)))
        return out
    if isinstance(messages, dict):
        out: dict[str, str] = {}
        for key, value in messages.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix or "_body": translate(messages)}
