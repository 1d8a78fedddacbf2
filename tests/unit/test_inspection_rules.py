"""Judging an inspection from its checklist; the first-pass yield from inspections."""

from datetime import datetime
from decimal import Decimal

import pytest

from domain.errors import DomainError
from domain.quality.first_pass_yield import Attempt, first_pass_yield
from domain.quality.inspection_rules import Item, judge

WALL = Item(1, 1, "壁厚 wall", "measure", Decimal("2.0"), Decimal("0.05"), Decimal("0.1"), "mm")
LOOK = Item(2, 2, "外观 surface", "check")


def test_values_at_the_tolerance_limits_pass_and_beyond_fail():
    for value, passed in (("1.95", True), ("2.1", True), ("1.949", False), ("2.101", False)):
        verdicts, ok = judge([WALL], {"item_1": value})
        assert (verdicts[0].measured, ok) == (Decimal(value), passed)


def test_one_failed_check_fails_the_inspection():
    verdicts, ok = judge([WALL, LOOK], {"item_1": "2.0", "item_2": "fail"})
    assert [v.passed for v in verdicts] == [True, False]
    assert ok is False


def test_every_unanswered_item_is_reported_at_once():
    with pytest.raises(DomainError) as refused:
        judge([WALL, LOOK], {"item_1": "abc"})
    assert refused.value.code == "inspection_incomplete"
    assert set(refused.value.fields) == {"item_1", "item_2"}


def test_no_checklist_cannot_be_judged():
    with pytest.raises(DomainError) as refused:
        judge([], {})
    assert refused.value.code == "no_checklist"


def attempt(wo: int, day: int, passed: bool, product: str = "P1", workshop: str = "W1") -> Attempt:
    at = datetime(2026, 10 + day // 31, 1 + day % 31, 8)
    return Attempt(wo, "final", at, passed, f"{at:%Y-%m}", product, workshop)


def test_first_pass_yield_counts_only_each_work_orders_first_inspection():
    attempts = [
        attempt(1, 2, False),
        attempt(1, 3, True),  # the rework's pass does not make it first-pass
        attempt(2, 2, True),
        attempt(3, 33, True, product="P2"),
    ]
    by_month = {row.key: (row.first_pass, row.inspected, row.rate) for row in first_pass_yield(attempts)}
    assert by_month == {"2026-10": (1, 2, Decimal("0.5")), "2026-11": (1, 1, Decimal(1))}
    by_product = {row.key: row.rate for row in first_pass_yield(attempts, by="product")}
    assert by_product == {"P1": Decimal("0.5"), "P2": Decimal(1)}
