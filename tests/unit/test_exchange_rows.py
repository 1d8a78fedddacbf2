"""Rows of the order sheet and of the ERP export checked as plain data: no database, no app."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.exchange.erp_rows import RowRefused, customer_values, price_values
from domain.exchange.order_rows import CREATE, UNCHANGED, UPDATE, Existing, Known, Party, check_row
from domain.exchange.sheets import Row
from domain.orders.compliance import DEFAULT_RULES

TODAY = date(2026, 11, 25)


def known(**overrides) -> Known:
    values = {
        "customers": {"C001": Party(1, "C001", True), "C002": Party(2, "C002", False)},
        "products": {"P-100": Party(7, "P-100", True)},
        "prices": {(1, 7): Decimal("10.0000")},
        "rules": DEFAULT_RULES,
        "today": TODAY,
        "locale": "en",
        "actor_id": 5,
        "sees_all": False,
    }
    return Known(**{**values, **overrides})


def cells(**values) -> dict:
    base = {
        "number": None,
        "customer_code": "C001",
        "product_model": "P-100",
        "quantity": 1000,
        "unit_price": None,
        "due_date": TODAY + timedelta(days=30),
        "flame_grade": "V-0",
        "packaging": "纸箱",
        "original_ref": "PO-1",
    }
    return {**base, **values}


def stored(**values) -> dict:
    base = {
        "customer_id": 1,
        "product_id": 7,
        "quantity": Decimal("1000.000"),
        "unit_price": Decimal("10.0000"),
        "price_override_reason": None,
        "due_date": TODAY + timedelta(days=30),
        "priority": "B",
        "flame_grade": "V-0",
        "packaging": "纸箱",
        "color_notes": None,
        "original_ref": "PO-1",
    }
    return {**base, **values}


def test_a_new_row_takes_the_list_price_and_priority_b():
    plan, errors = check_row(Row(2, cells()), known())
    assert errors == [] and plan.action == CREATE
    assert (plan.values["unit_price"], plan.values["priority"]) == (Decimal("10.0000"), "B")


def test_every_failed_rule_of_a_row_is_reported_with_its_column():
    plan, errors = check_row(Row(9, cells(customer_code="C002", quantity=0, packaging=None)), known())
    assert plan is None
    assert [(e.row, e.column) for e in errors] == [
        (9, "包装方式"),
        (9, "客户"),
        (9, "数量"),
        (9, "单价"),
    ]  # C002: no list price either


def test_the_signed_drawing_rule_is_left_to_the_submission():
    plan, _errors = check_row(Row(2, cells()), known())
    assert plan is not None  # DEFAULT_RULES include sample_drawing; the sheet has no drawing column


def test_a_row_equal_to_the_stored_order_is_unchanged():
    order = Existing(3, "SO-1", "confirmed", 5, stored())
    plan, errors = check_row(Row(2, cells(number="SO-1", unit_price=10)), known(by_number={"SO-1": order}))
    assert (plan.action, errors) == (UNCHANGED, [])


def test_a_changed_quote_of_ones_own_is_an_update():
    order = Existing(3, "SO-1", "quote", 5, stored())
    plan, _ = check_row(Row(2, cells(number="SO-1", quantity=1200)), known(by_number={"SO-1": order}))
    assert plan.action == UPDATE


def test_a_changed_quote_of_another_salesperson_is_refused():
    order = Existing(3, "SO-1", "quote", 6, stored())
    _, errors = check_row(Row(2, cells(number="SO-1", quantity=1200)), known(by_number={"SO-1": order}))
    assert [e.column for e in errors] == ["订单号"]


def test_erp_customer_row_in_chinese():
    values = customer_values(
        {"code": " C101 ", "name": "精密塑胶", "blocked": "是", "purchase_12m": "1200000"}, {}
    )
    assert (values["code"], values["blocked"], values["purchase_12m"]) == ("C101", True, Decimal(1200000))


def test_erp_customer_row_without_a_name_names_the_column():
    with pytest.raises(RowRefused) as refused:
        customer_values({"code": "C101", "name": ""}, {"name": "客户名称"})
    assert refused.value.reason.startswith("客户名称:")


def test_erp_price_with_too_many_decimals_is_refused_not_rounded():
    with pytest.raises(RowRefused):
        price_values({"unit_price": "3.123456", "unit_cost": "2"}, {}, 1, 7)
