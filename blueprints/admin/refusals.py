"""Admin pages: show a service's refusal on the form that caused it, not on an error page."""

from flask import flash
from flask_wtf import FlaskForm

from domain.errors import DomainError


def show_on_form(form: FlaskForm, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put each field's problem under its input (the last part of a dotted name, so `lines.0.qty_per`
    lands on `qty_per`; `aliases` maps a service's field name to the form's), and flash what no input
    can show. The service's use case has already rolled its transaction back."""
    placed = False
    for name, message in error.fields.items():
        short = name.rsplit(".", 1)[-1]
        field = form._fields.get((aliases or {}).get(short, short))
        if field is not None:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            placed = True
    if not placed:
        flash(error.message, "error")
