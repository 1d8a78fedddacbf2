"""The order pages' forms: an order on a phone, the list's filters, one-button actions."""

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from domain.drawings import MAX_BYTES
from domain.orders.models import FLAME_GRADES, PRIORITIES
from domain.stage_machine import STAGE_LABELS, STAGES

# How the order's fields are named on pages (change records, failed rules, history).
FIELD_LABELS = {
    "customer_code": _l("Customer"),
    "product_model": _l("Product model"),
    "quantity": _l("Quantity"),
    "due_date": _l("Due date"),
    "unit_price": _l("Unit price"),
    "price_override_reason": _l("Price override reason"),
    "priority": _l("Priority"),
    "flame_grade": _l("Flame-retardant grade"),
    "packaging": _l("Packaging method"),
    "color_notes": _l("Colour / material notes"),
    "original_ref": _l("Customer's order reference"),
    "sample_drawing": _l("Signed sample drawing"),
    "stage": _l("Stage"),
    "is_rush": _l("Rush order"),
}
PRIORITY_CHOICES = [("A", _l("A – most urgent")), ("B", _l("B – normal")), ("C", _l("C – when possible"))]


class OrderForm(FlaskForm):
    customer_code = StringField(_l("Customer code"), validators=[DataRequired(), Length(max=32)])
    product_model = StringField(_l("Product model"), validators=[DataRequired(), Length(max=64)])
    quantity = DecimalField(_l("Quantity"), places=None, validators=[Optional(), NumberRange(min=0)])
    due_date = DateField(_l("Due date"), validators=[DataRequired()])
    unit_price = DecimalField(_l("Unit price"), places=None, validators=[Optional(), NumberRange(min=0)])
    price_override_reason = StringField(
        _l("Reason for a price other than the price list's"), [Length(max=200)]
    )
    priority = SelectField(_l("Priority"), choices=PRIORITY_CHOICES, default="B")
    flame_grade = SelectField(
        _l("Flame-retardant grade"), choices=[("", _l("— choose —")), *[(g, g) for g in FLAME_GRADES]]
    )
    packaging = StringField(_l("Packaging method"), validators=[Length(max=200)])
    color_notes = TextAreaField(_l("Colour / material notes"), validators=[Length(max=500)])
    original_ref = StringField(_l("Customer's order reference"), validators=[Length(max=64)])
    drawing = FileField(
        _l("Signed sample drawing (PDF, PNG or JPEG, at most 10 MB)"), validators=[FileSize(MAX_BYTES)]
    )
    note = TextAreaField(_l("What did the customer ask for? (shown with the change)"), [Length(max=2000)])

    def order_data(self, confirmed: bool) -> dict[str, Any]:
        """The service's input; after confirmation customer and model are not sent (they are fixed)."""
        data: dict[str, Any] = {
            "quantity": self.quantity.data if self.quantity.data is not None else Decimal(0),
            "due_date": self.due_date.data,
            "unit_price": self.unit_price.data,
            "price_override_reason": self.price_override_reason.data,
            "priority": self.priority.data or "B",
            "flame_grade": self.flame_grade.data or None,
            "packaging": self.packaging.data,
            "color_notes": self.color_notes.data,
            "original_ref": self.original_ref.data,
        }
        if not confirmed:
            data["customer_code"] = (self.customer_code.data or "").strip()
            data["product_model"] = (self.product_model.data or "").strip()
        return data

    def fill_from(self, order) -> None:
        self.customer_code.data = order.customer.code
        self.product_model.data = order.product.model
        for name in (
            "quantity",
            "due_date",
            "unit_price",
            "price_override_reason",
            "priority",
            "packaging",
            "color_notes",
            "original_ref",
        ):
            value = getattr(order, name)
            getattr(self, name).data = plain(value) if isinstance(value, Decimal) else value
        self.flame_grade.data = order.flame_grade or ""


def plain(value: Decimal) -> Decimal:
    """2000.000 → 2000 and 3.6000 → 3.6, as a person would type them (never 2E+3)."""
    text = f"{value:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


class FilterForm(FlaskForm):
    """GET parameters of the list; no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=64)])
    number = StringField(_l("Order number"), validators=[Optional(), Length(max=32)])
    stage = SelectField(
        _l("Stage"), choices=[("", _l("All stages")), *[(s, STAGE_LABELS[s]) for s in STAGES]], default=""
    )
    priority = SelectField(
        _l("Priority"), choices=[("", _l("All priorities")), *[(p, p) for p in PRIORITIES]], default=""
    )
    customer_code = StringField(_l("Customer code"), validators=[Optional(), Length(max=32)])
    product_model = StringField(_l("Product model"), validators=[Optional(), Length(max=64)])
    due_from = DateField(_l("Due from"), validators=[Optional()])
    due_to = DateField(_l("Due to"), validators=[Optional()])
    sort = SelectField(
        _l("Sort"),
        choices=[
            ("due_date", _l("Due date, soonest first")),
            ("-due_date", _l("Due date, latest first")),
            ("-created_at", _l("Newest first")),
            ("created_at", _l("Oldest first")),
            ("number", _l("Order number")),
        ],
        default="due_date",
    )

    def filters(self) -> dict[str, Any]:
        return {
            "q": self.q.data or None,
            "number": self.number.data or None,
            "stage": self.stage.data or None,
            "priority": self.priority.data or None,
            "customer_code": self.customer_code.data or None,
            "product_model": self.product_model.data or None,
            "due_from": self.due_from.data,
            "due_to": self.due_to.data,
            "sort": self.sort.data or "due_date",
        }


class ActionForm(FlaskForm):
    """No fields: the CSRF token is the point (stage moves, acknowledgements)."""


class TransitionForm(FlaskForm):
    to = SelectField(choices=[(s, s) for s in STAGES], validators=[DataRequired()])
