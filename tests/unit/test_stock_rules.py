"""Stock move rules and exact quantities (domain/stock/move_rules.py, quantity.py), without an app."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.quantities import ExactQty, NotAQuantity, as_quantity
from domain.stock.move_rules import needs_order_reference, signed_quantity


def refusal(*args) -> DomainError:
    with pytest.raises(DomainError) as caught:
        signed_quantity(*args)
    return caught.value


@pytest.mark.parametrize(("kind", "sign"), [("receipt", 1), ("output", 1), ("issue", -1), ("shipment", -1)])
def test_inbound_kinds_add_and_outbound_kinds_take(kind, sign):
    assert signed_quantity(kind, "2.5") == sign * Decimal("2.5")


def test_adjustment_keeps_its_sign_and_needs_a_reason():
    assert signed_quantity("adjustment", "-3", "counted 3 short in the stocktake") == Decimal("-3")
    assert refusal("adjustment", "-3", "  ").code == "adjustment_reason_required"


def test_transfer_moves_are_not_posted_by_the_scanner():
    assert refusal("transfer_in", "1").code == "move_kind_not_allowed"


@pytest.mark.parametrize("qty", ["0", "-1", "0.0001", "NaN", "abc"])
def test_quantity_must_be_positive_with_at_most_three_places(qty):
    assert refusal("receipt", qty).code == "invalid_quantity"


def test_only_a_shipment_must_name_its_order():
    assert [
        k for k in ("receipt", "issue", "output", "shipment", "adjustment") if needs_order_reference(k)
    ] == ["shipment"]


@given(st.decimals(min_value=-(10**10), max_value=10**10, places=3, allow_nan=False, allow_infinity=False))
def test_quantities_round_trip_exactly_through_the_database_integer(value):
    column = ExactQty()
    stored = column.process_bind_param(value, None)
    assert isinstance(stored, int)
    assert column.process_result_value(stored, None) == value


def test_tenths_add_up_exactly_where_floats_would_not():
    total = sum((as_quantity("0.1") for _ in range(3)), Decimal(0))
    assert total - as_quantity("0.3") == 0


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e12", NotAQuantity.TOO_LARGE),
        (1e12, NotAQuantity.TOO_LARGE),
        ("1.0005", NotAQuantity.TOO_MANY_PLACES),
        ("NaN", NotAQuantity.NOT_A_NUMBER),
        ("abc", NotAQuantity.NOT_A_NUMBER),
    ],
)
def test_a_refused_quantity_says_why(value, reason):
    with pytest.raises(NotAQuantity) as refused:
        as_quantity(value)
    assert refused.value.reason == reason
