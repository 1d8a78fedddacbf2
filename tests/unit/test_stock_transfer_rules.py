"""Transfer rules (domain/stock/transfer_rules.py) on plain values: states, pause, stock, room."""

from decimal import Decimal

import pytest

from domain.errors import DomainError
from domain.stock.handling_units import require_room
from domain.stock.transfer_rules import (
    next_state,
    picked_quantity,
    require_available,
    require_not_paused,
    transit_paused,
)

D = Decimal


def code_of(call, *args) -> tuple[str, int]:
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.code, caught.value.status


def test_a_transfer_goes_requested_picked_in_transit_received():
    states = ["requested"]
    for action in ("pick", "dispatch", "receive"):
        states.append(next_state("TR000001", states[-1], action))
    assert states == ["requested", "picked", "in_transit", "received"]


def test_receiving_before_dispatch_is_a_state_conflict():
    assert code_of(next_state, "TR000001", "picked", "receive") == ("transfer_state_conflict", 409)


def test_only_a_requested_transfer_can_be_cancelled():
    assert next_state("TR000001", "requested", "cancel") == "cancelled"
    assert code_of(next_state, "TR000001", "in_transit", "cancel") == ("transfer_state_conflict", 409)


def test_pause_starts_above_70_percent_of_safety_stock():
    assert not transit_paused(D(70), D(100))
    assert transit_paused(D("70.001"), D(100))


def test_no_pause_for_an_sku_without_safety_stock():
    assert not transit_paused(D(5000), D(0))


def test_paused_request_says_how_much_is_in_transit():
    with pytest.raises(DomainError) as caught:
        require_not_paused("RES-ABS", D(80), D(100))
    assert caught.value.code == "transfer_paused_in_transit"
    assert "80" in caught.value.message and "100" in caught.value.message


def test_source_must_have_the_quantity_available():
    require_available(D(10), D(10), "WH-A")
    assert code_of(require_available, D(9), D(10), "WH-A") == ("insufficient_stock", 422)


def test_target_must_have_room_unless_it_is_unlimited():
    require_room(None, D(10**9), "WH-B")
    require_room(D(10), D(10), "WH-B")
    assert code_of(require_room, D(9), D(10), "WH-B") == ("target_capacity_exceeded", 422)


def test_a_short_pick_is_allowed_but_not_more_than_requested():
    assert picked_quantity(D(10), None) == D(10)
    assert picked_quantity(D(10), D(7)) == D(7)
    assert code_of(picked_quantity, D(10), D(11)) == ("invalid_quantity", 422)
