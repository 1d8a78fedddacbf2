"""The Gantt's move rules on plain slots (DESIGN §4); rush insertion is a re-plan (test_scheduler.py)."""

from datetime import datetime, timedelta

import pytest

from domain.errors import DomainError
from domain.scheduling.rules import Slot, check_move

T0 = datetime(2026, 11, 25, 8, 0)


def slot(op: int, wo: int, seq: int, machine: int | None, start_h: float, hours: float) -> Slot:
    start = T0 + timedelta(hours=start_h)
    return Slot(op, wo, seq, 1, machine, start, start + timedelta(hours=hours), f"op{op}")


def refusal(moved: Slot, machine_ops: list[Slot], siblings: list[Slot]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_move(moved, machine_ops, siblings)
    return caught.value


def test_move_into_a_free_slot_is_accepted():
    check_move(slot(1, 10, 1, 7, 4, 2), [slot(2, 20, 1, 7, 0, 4), slot(3, 30, 1, 7, 6, 1)], [])


def test_move_onto_an_occupied_machine_slot_is_refused_naming_the_other_operation():
    error = refusal(slot(1, 10, 1, 7, 3, 2), [slot(2, 20, 1, 7, 0, 4)], [])
    assert (error.code, error.status) == ("machine_overlap", 409)
    assert "op2" in error.message


def test_same_time_on_another_machine_is_not_an_overlap():
    check_move(slot(1, 10, 1, 8, 0, 4), [], [])


def test_operation_cannot_start_before_its_predecessor_ends():
    error = refusal(slot(2, 10, 2, 7, 1, 2), [], [slot(1, 10, 1, 6, 0, 2)])
    assert error.code == "operation_order" and "start" in error.fields


def test_operation_cannot_end_after_its_successor_starts():
    error = refusal(slot(1, 10, 1, 7, 0, 3), [], [slot(2, 10, 2, 6, 2, 2)])
    assert error.code == "operation_order" and "end" in error.fields


def test_touching_end_to_start_is_allowed():
    check_move(slot(2, 10, 2, 7, 2, 2), [slot(9, 99, 1, 7, 4, 1)], [slot(1, 10, 1, 6, 0, 2)])


def test_empty_interval_is_refused():
    assert refusal(slot(1, 10, 1, 7, 2, 0), [], []).code == "invalid_interval"
