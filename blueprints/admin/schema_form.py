"""Admin forms built from a marshmallow schema: the inputs (label, kind, value, error) to render, and
the posted form turned back into the plain values the schema loads. The schema stays the only
validation; this module only translates between HTML inputs and it.

    inputs(CustomerIn, values, errors, pick_list)   # → [Input], rendered by templates/admin/_schema_form.html
    defaults(CustomerIn)                            # → the values a new form starts with
    posted(CustomerIn, request.form)                # → dict for service.create/update
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _

from domain.masterdata_admin.fields import Reference
from domain.masterdata_admin.schemas import decimal_text

PickList = Callable[[Reference, Any], list[tuple[int, str]]]


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    widget: str  # text | integer | decimal | signed | checkbox | select | secret
    value: str
    error: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    maxlength: int | None = None
    checked: bool = False


def inputs(
    schema: type[ma.Schema], values: Mapping[str, Any], errors: Mapping[str, str], pick_list: PickList
) -> list[Input]:
    """One Input per schema field, in the schema's order, showing `values` (stored or just posted)."""
    return [
        _input(name, f, values.get(name), errors.get(name, ""), pick_list)
        for name, f in schema().fields.items()
    ]


def _input(name: str, f: ma.fields.Field, value: Any, error: str, pick_list: PickList) -> Input:
    common = {
        "name": name,
        "label": str(f.metadata.get("label", name)),
        "error": error,
        "required": f.required,
    }
    if isinstance(f, ma.fields.Boolean):
        return Input(widget="checkbox", value="1", checked=_truthy(value), **common)
    if f.metadata.get("secret"):  # only whether one is saved, never the value
        return Input(widget="secret", value="1" if value else "", maxlength=_max_length(f), **common)
    if isinstance(f, Reference):
        choices = tuple((str(i), label) for i, label in pick_list(f, _int_or_none(value)))
        return Input(widget="select", value=_text(value), choices=_with_blank(f, choices), **common)
    if "choices" in f.metadata:
        choices = tuple((key, str(label)) for key, label in f.metadata["choices"].items())
        return Input(widget="select", value=_text(value), choices=choices, **common)
    if isinstance(f, ma.fields.Integer):
        return Input(widget="integer", value=_text(value), **common)
    if isinstance(f, ma.fields.Decimal):
        return Input(widget="decimal", value=_text(value), **common)
    if isinstance(f, ma.fields.Float):  # coordinates: phone keypads for "decimal" lack the minus sign
        return Input(widget="signed", value=_text(value), **common)
    return Input(widget="text", value=_text(value), maxlength=_max_length(f), **common)


def defaults(schema: type[ma.Schema]) -> dict[str, Any]:
    """What a new form starts with: each field's default (lead time 15, currency CNY, ...)."""
    return {
        name: f.load_default
        for name, f in schema().fields.items()
        if f.load_default is not ma.missing and not callable(f.load_default)
    }


def posted(schema: type[ma.Schema], form: Mapping[str, str]) -> dict[str, Any]:
    """The form's values for the schema's fields: an unticked box is False, an empty number is
    "no value" (None where the field allows it, else left out so its default or "required" applies)."""
    data: dict[str, Any] = {}
    for name, f in schema().fields.items():
        if isinstance(f, ma.fields.Boolean):
            data[name] = _truthy(form.get(name))
        elif name not in form or (f.metadata.get("secret") and not form[name].strip()):
            continue  # an empty secret input keeps the saved one
        elif isinstance(f, ma.fields.String) or form[name].strip():
            data[name] = form[name]
        elif f.allow_none:
            data[name] = None
    return data


def _with_blank(f: ma.fields.Field, choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return (("", _("Choose…") if f.required else "—"), *choices)


def _truthy(value: Any) -> bool:
    return value is True or value in ("1", "on", "y", "true")


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def _max_length(f: ma.fields.Field) -> int | None:
    lengths = [v.max for v in f.validators if isinstance(v, ma.validate.Length) and v.max is not None]
    return min(lengths) if lengths else None
