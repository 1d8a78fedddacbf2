"""One row of the order sheet checked the way the API checks an order: the API's own schema
(OrderCreateIn), then the master data, then the compliance engine (DESIGN §3.1). Takes plain values
(the row, what the database knows, the rules) and returns a plan or the bad cells; no database here."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _

from domain.exchange.order_sheet import NOT_IN_SHEET, TITLES
from domain.exchange.sheets import Row, cell_date, cell_text
from domain.orders import compliance
from domain.orders.input_schema import OrderCreateIn
from domain.orders.service import EDITABLE
from domain.validation_messages import flatten

CREATE, UPDATE, UNCHANGED = "created", "updated", "unchanged"  # named as the counts are
OPTIONAL_TEXT = ("price_override_reason", "packaging", "color_notes", "original_ref")
# The order's stored fields an import compares and writes (customer and product by id).
STORED = ("customer_id", "product_id", *EDITABLE)


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the header as the template writes it
    message: str
    value: str = ""  # the cell as the file holds it, so the user finds it

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass(frozen=True)
class Party:
    """A customer or product as the rules see it."""

    id: int
    code: str  # customer code or product model
    ok: bool  # customer: active and not blocked; product: active with an active BOM


@dataclass(frozen=True)
class Existing:
    """An order already stored, as the import compares it."""

    id: int
    number: str
    stage: str
    created_by_id: int | None
    values: Mapping[str, Any]  # STORED fields


@dataclass
class Known:
    """What the database knows, loaded once per pass (orders per chunk of rows)."""

    customers: dict[str, Party]
    products: dict[str, Party]
    prices: dict[tuple[int, int], Decimal]
    rules: Sequence[compliance.Rule]
    today: date
    locale: str
    actor_id: int | None
    sees_all: bool  # False for a salesperson: only their own orders may be changed
    schema: OrderCreateIn = field(
        default_factory=OrderCreateIn
    )  # one instance per pass: building one is slow
    by_number: dict[str, Existing] = field(default_factory=dict)
    by_reference: dict[tuple[int, str], list[Existing]] = field(default_factory=dict)


@dataclass
class Plan:
    row: int
    action: str  # created | updated | unchanged
    values: dict[str, Any]
    existing: Existing | None = None


def api_data(row: Row) -> dict[str, Any]:
    """The row as the API's request body: blank optional cells are empty fields, never "" strings."""
    cells = row.cells
    data: dict[str, Any] = {
        "customer_code": cell_text(cells.get("customer_code")),
        "product_model": cell_text(cells.get("product_model")),
    }
    quantity = cell_text(cells.get("quantity")).replace(",", "")
    if quantity:
        data["quantity"] = quantity
    price = cell_text(cells.get("unit_price")).replace(",", "")
    data["unit_price"] = price or None
    due = cell_date(cells.get("due_date"))
    if due:
        data["due_date"] = due
    priority = cell_text(cells.get("priority")).upper()
    if priority:
        data["priority"] = priority
    data["flame_grade"] = cell_text(cells.get("flame_grade")).upper() or None
    for key in OPTIONAL_TEXT:
        data[key] = cell_text(cells.get(key)) or None
    return data


def schema_errors(
    number: int, data: dict[str, Any], schema: ma.Schema | None = None
) -> tuple[dict[str, Any], list[CellError]]:
    """The row's values that pass the API's schema (all of them, or those that could be read) and an
    error for each cell that did not."""
    try:
        return (schema or OrderCreateIn()).load(data), []
    except ma.ValidationError as error:
        found = flatten(error.messages)
        valid = error.valid_data if isinstance(error.valid_data, dict) else {}
        return valid, [CellError(number, TITLES.get(name, name), text) for name, text in found.items()]


def _find(row: Row, known: Known, customer: Party | None) -> tuple[Existing | None, list[CellError]]:
    """The stored order this row is: by 订单号, else by the customer's 原始订单号 (so a new order from
    the old sheet is recognised when the same file comes again)."""
    number = cell_text(row.cells.get("number"))
    if number:
        if number in known.by_number:
            return known.by_number[number], []
        message = _("There is no order %(number)s; leave 订单号 empty for a new order.", number=number)
        return None, [CellError(row.number, TITLES["number"], message)]
    reference = cell_text(row.cells.get("original_ref"))
    if not reference:
        message = _("A new order needs its 原始订单号, so that importing the file again finds it.")
        return None, [CellError(row.number, TITLES["original_ref"], message)]
    matches = known.by_reference.get((customer.id, reference), []) if customer else []
    if len(matches) > 1:
        numbers = ", ".join(m.number for m in matches)
        message = _("Several orders carry this reference (%(numbers)s); give the 订单号.", numbers=numbers)
        return None, [CellError(row.number, TITLES["original_ref"], message)]
    return (matches[0] if matches else None), []


def row_key(row: Row) -> tuple[str, ...]:
    """Two rows with the same key are the same order."""
    number = cell_text(row.cells.get("number"))
    if number:
        return ("number", number)
    return ("reference", cell_text(row.cells.get("customer_code")), cell_text(row.cells.get("original_ref")))


# Stands in for a customer or model the row names but the database lacks (reported once, as unknown),
# so the order rules still check the rest of the row in the same pass.
UNKNOWN = Party(id=0, code="", ok=True)


def check_row(row: Row, known: Known) -> tuple[Plan | None, list[CellError]]:
    """Every check on the row in one pass, so a file's problems are all reported at once: the cells'
    formats (the API's schema), the customer and model, the order it names, and the order rules on
    whatever of the row could be read. A cell is reported once, by the first check it fails."""
    data, errors = schema_errors(row.number, api_data(row), known.schema)
    customer, product, unknown = _parties(row.number, data, known)
    errors += unknown
    existing, problems = _find(row, known, customer)
    errors += problems
    readable = {
        key: existing.values.get(key)
        for key in STORED
        if existing is not None and key in data_keys_with_errors(errors)
    }
    values = _stored_values({**readable, **data}, customer or UNKNOWN, product or UNKNOWN, existing, known)
    if existing is not None:
        plan, problems = _against_existing(
            row.number, values, existing, customer or UNKNOWN, product or UNKNOWN, known
        )
    else:
        plan, problems = _checked(
            Plan(row.number, CREATE, values), customer or UNKNOWN, product or UNKNOWN, known
        )
    if customer is None or product is None:
        # without both there is no price list price, so a missing price is the unknown party's fault
        problems = [p for p in problems if p.column != TITLES["unit_price"] or data.get("unit_price")]
    reported = {e.column for e in errors}
    errors += [p for p in problems if p.column not in reported]
    return (None, [_with_value(e, row) for e in errors]) if errors else (plan, [])


def _with_value(error: CellError, row: Row) -> CellError:
    key = _KEYS.get(error.column)
    return replace(error, value=cell_text(row.cells.get(key))) if key else error


_KEYS = {title: key for key, title in TITLES.items()}


def data_keys_with_errors(errors: Sequence[CellError]) -> set[str]:
    return {_KEYS[e.column] for e in errors if e.column in _KEYS}


def _parties(
    number: int, data: Mapping[str, Any], known: Known
) -> tuple[Party | None, Party | None, list[CellError]]:
    """The row's customer and model, and an error for each one named but unknown (a cell that could not
    be read is reported by the schema already)."""
    errors = []
    customer = known.customers.get(data.get("customer_code") or "")
    product = known.products.get(data.get("product_model") or "")
    if data.get("customer_code") and customer is None:
        message = _("There is no customer with code %(code)s.", code=data["customer_code"])
        errors.append(CellError(number, TITLES["customer_code"], message))
    if data.get("product_model") and product is None:
        message = _("There is no product model %(model)s.", model=data["product_model"])
        errors.append(CellError(number, TITLES["product_model"], message))
    return customer, product, errors


def _stored_values(
    data: dict[str, Any], customer: Party, product: Party, existing: Existing | None, known: Known
) -> dict[str, Any]:
    values = {key: data.get(key) for key in STORED if key in data}
    values.update(customer_id=customer.id, product_id=product.id)
    values.setdefault("quantity", Decimal(0))
    if values.get("priority") is None:
        values["priority"] = existing.values["priority"] if existing else "B"
    if values.get("unit_price") is None and (existing is None or existing.stage == "quote"):
        values["unit_price"] = known.prices.get((customer.id, product.id))  # as the order service does
    return values


def _against_existing(
    number: int, values: dict[str, Any], existing: Existing, customer: Party, product: Party, known: Known
) -> tuple[Plan | None, list[CellError]]:
    changed = [key for key in STORED if values.get(key) != existing.values.get(key)]
    if not changed:
        return Plan(number, UNCHANGED, values, existing), []
    if not known.sees_all and existing.created_by_id != known.actor_id:
        return None, [CellError(number, TITLES["number"], _("This order belongs to another salesperson."))]
    if existing.stage != "quote":
        message = _(
            "The order is past quote: record the change on its page, where everyone affected is told."
        )
        return None, [CellError(number, _column(key), message) for key in changed]
    return _checked(Plan(number, UPDATE, values, existing), customer, product, known)


def _column(key: str) -> str:
    return TITLES.get({"customer_id": "customer_code", "product_id": "product_model"}.get(key, key), key)


def _checked(
    plan: Plan, customer: Party, product: Party, known: Known
) -> tuple[Plan | None, list[CellError]]:
    """The compliance engine on the order as it would be stored (rules on sheet columns only)."""
    facts = compliance.OrderFacts(
        values={**plan.values, "customer_code": customer.code, "product_model": product.code},
        has_drawing=True,
        customer_ok=customer.ok,
        product_ok=product.ok,
        list_price=known.prices.get((customer.id, product.id)),
        today=known.today,
    )
    rules = [r for r in known.rules if r.field not in NOT_IN_SHEET]
    failures = compliance.evaluate(rules, facts, known.locale)
    if failures:
        return None, [CellError(plan.row, TITLES.get(f.field, f.field), f.message) for f in failures]
    return plan, []
