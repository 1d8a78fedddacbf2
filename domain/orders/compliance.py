"""The order compliance engine of DESIGN §3.1: rules are data (eight built-in checks plus admin-added
"field is required" rules), and an evaluation reports every failed rule, never just the first."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

BUILTIN, REQUIRED = "builtin", "required"

# Order fields an admin may declare required, with the attribute that holds the value.
REQUIRABLE_FIELDS = (
    "flame_grade",
    "packaging",
    "color_notes",
    "original_ref",
    "unit_price",
    "price_override_reason",
)


@dataclass(frozen=True)
class Rule:
    code: str
    field: str  # the order field the message is about (forms highlight it)
    message_en: str
    message_zh: str
    kind: str = BUILTIN
    active: bool = True

    def message(self, locale: str) -> str:
        return self.message_zh if locale.startswith("zh") else self.message_en


@dataclass(frozen=True)
class Failure:
    code: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class OrderFacts:
    """What the rules look at, gathered by the order service from the order and master data."""

    values: Mapping[str, Any] = field(default_factory=dict)  # order field → value
    has_drawing: bool = False
    customer_ok: bool = False  # exists, active and not blocked
    product_ok: bool = False  # exists, active and has an active BOM version
    list_price: Decimal | None = None  # the price list's unit price for this customer × model
    today: date = date.min


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _price_ok(f: OrderFacts) -> bool:
    price = f.values.get("unit_price")
    if price is None or price <= 0:
        return False
    if f.list_price is not None and price == f.list_price:
        return True
    return not _blank(f.values.get("price_override_reason"))


def _due_ok(f: OrderFacts) -> bool:
    due = f.values.get("due_date")
    return due is not None and due >= f.today


def _quantity_ok(f: OrderFacts) -> bool:
    quantity = f.values.get("quantity")
    return quantity is not None and quantity > 0


CHECKS = {
    "sample_drawing": lambda f: f.has_drawing,
    "flame_grade": lambda f: not _blank(f.values.get("flame_grade")),
    "packaging": lambda f: not _blank(f.values.get("packaging")),
    "customer": lambda f: f.customer_ok,
    "product_bom": lambda f: f.product_ok,
    "quantity": _quantity_ok,
    "due_date": _due_ok,
    "unit_price": _price_ok,
}

DEFAULT_RULES = (
    Rule(
        "sample_drawing",
        "sample_drawing",
        "Upload the customer's signed sample drawing.",
        "请上传客户签样图。",
    ),
    Rule("flame_grade", "flame_grade", "Select the flame-retardant grade.", "请选择阻燃等级。"),
    Rule("packaging", "packaging", "State the packaging method.", "请填写包装方式。"),
    Rule(
        "customer",
        "customer_code",
        "The customer must exist and must not be blocked.",
        "客户必须存在且未被冻结。",
    ),
    Rule(
        "product_bom",
        "product_model",
        "The product model must exist and have an active BOM.",
        "产品型号必须存在且有生效的BOM。",
    ),
    Rule("quantity", "quantity", "The quantity must be more than 0.", "数量必须大于0。"),
    Rule("due_date", "due_date", "The due date must not be in the past.", "交期不能早于今天。"),
    Rule(
        "unit_price",
        "unit_price",
        "Give a unit price: the price list's, or your own with a reason for the override.",
        "请填写单价：使用价格表的单价，或手工填写并说明原因。",
    ),
)


def passes(rule: Rule, facts: OrderFacts) -> bool:
    if rule.kind == REQUIRED:
        return not _blank(facts.values.get(rule.field))
    check = CHECKS.get(rule.code)
    if check is None:
        raise ValueError(f"no built-in check called {rule.code!r}")
    return bool(check(facts))


def evaluate(rules: Iterable[Rule], facts: OrderFacts, locale: str = "en") -> list[Failure]:
    """Every active rule that fails, in the order given, with its message in `locale`."""
    return [
        Failure(rule.code, rule.field, rule.message(locale))
        for rule in rules
        if rule.active and not passes(rule, facts)
    ]


def fields_of(failures: Iterable[Failure]) -> dict[str, str]:
    """{field: message} for the DESIGN §12 error body; several rules on one field join their messages."""
    out: dict[str, str] = {}
    for failure in failures:
        out[failure.field] = (
            f"{out[failure.field]} {failure.message}" if failure.field in out else failure.message
        )
    return out
