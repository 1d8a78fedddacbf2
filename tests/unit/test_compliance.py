"""The compliance engine of DESIGN §3.1 without an app: every failed rule, in the user's language."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.orders.compliance import (
    DEFAULT_RULES,
    REQUIRED,
    OrderFacts,
    Rule,
    evaluate,
    fields_of,
)

TODAY = date(2025, 3, 10)
COMPLETE = OrderFacts(
    values={
        "flame_grade": "V-0",
        "packaging": "carton, 50 per box",
        "quantity": Decimal(500),
        "due_date": date(2025, 4, 1),
        "unit_price": Decimal("3.20"),
        "price_override_reason": None,
    },
    has_drawing=True,
    customer_ok=True,
    product_ok=True,
    list_price=Decimal("3.20"),
    today=TODAY,
)
EMPTY = OrderFacts(values={"quantity": Decimal(0), "due_date": date(2025, 3, 9)}, today=TODAY)


def with_values(**values) -> OrderFacts:
    return replace(COMPLETE, values={**COMPLETE.values, **values})


def codes(facts: OrderFacts, rules=DEFAULT_RULES) -> list[str]:
    return [f.code for f in evaluate(rules, facts)]


def test_complete_order_passes_every_default_rule():
    assert evaluate(DEFAULT_RULES, COMPLETE) == []


def test_order_missing_everything_fails_all_eight_rules_at_once():
    assert codes(EMPTY) == [
        "sample_drawing",
        "flame_grade",
        "packaging",
        "customer",
        "product_bom",
        "quantity",
        "due_date",
        "unit_price",
    ]


def test_messages_come_in_the_users_language():
    zh = evaluate(DEFAULT_RULES, EMPTY, "zh_CN")
    en = evaluate(DEFAULT_RULES, EMPTY, "en")
    assert zh[0].message == "请上传客户签样图。"
    assert en[0].message == "Upload the customer's signed sample drawing."


def test_due_date_today_passes_and_yesterday_fails():
    assert codes(with_values(due_date=TODAY)) == []
    assert codes(with_values(due_date=date(2025, 3, 9))) == ["due_date"]


def test_blank_packaging_counts_as_missing():
    assert codes(with_values(packaging="   ")) == ["packaging"]


def test_price_other_than_the_list_price_needs_a_reason():
    assert codes(with_values(unit_price=Decimal("2.90"))) == ["unit_price"]
    assert codes(with_values(unit_price=Decimal("2.90"), price_override_reason="volume deal")) == []


def test_price_without_a_price_list_entry_needs_a_reason():
    facts = replace(COMPLETE, list_price=None)
    assert codes(facts) == ["unit_price"]


def test_switched_off_rule_is_not_checked():
    rules = [replace(r, active=r.code != "sample_drawing") for r in DEFAULT_RULES]
    assert "sample_drawing" not in codes(EMPTY, rules)


def test_admin_added_required_field_rule_fails_when_field_is_blank():
    rule = Rule("require_original_ref", "original_ref", "Give the PO number.", "请填写客户订单号。", REQUIRED)
    failures = evaluate([*DEFAULT_RULES, rule], COMPLETE)
    assert [(f.code, f.field, f.message) for f in failures] == [
        ("require_original_ref", "original_ref", "Give the PO number.")
    ]
    assert evaluate([rule], with_values(original_ref="PO-77")) == []


def test_fields_map_joins_messages_of_rules_on_the_same_field():
    rule = Rule("pack_again", "packaging", "Say how it is packed.", "说明包装。", REQUIRED)
    fields = fields_of(evaluate([*DEFAULT_RULES, rule], with_values(packaging="")))
    assert fields == {"packaging": "State the packaging method. Say how it is packed."}


def test_unknown_builtin_rule_is_a_programming_error():
    with pytest.raises(ValueError):
        evaluate([Rule("nonsense", "x", "x", "x")], COMPLETE)
