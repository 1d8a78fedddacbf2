"""The Gantt's move rules and rush insertion on plain slots (DESIGN §4)."""

from datetime import datetime, timedelta

import pytest

from domain.errors import DomainError
from domain.scheduling.rules import Slot, check_move, push_later

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


def test_rush_inserted_on_a_machine_pushes_the_overlapping_queue_and_their_successors():
    rush = slot(100, 50, 1, 7, 0, 3)  # 08:00–11:00 on machine 7
    plan = [
        slot(1, 10, 1, 7, 0, 2),  # 08–10 on 7: pushed to 11–13
        slot(2, 10, 2, 8, 2, 2),  # 10–12 on 8, successor of op 1: pushed to 13–15
        slot(3, 20, 1, 7, 2, 1),  # 10–11 on 7: pushed after op 1 to 13–14
        slot(4, 30, 1, 8, 0, 1),  # other machine, untouched
    ]
    pushed = {p.op_id: (p.new_start, p.new_end) for p in push_later([rush], plan)}
    hour = lambda h: T0 + timedelta(hours=h)  # noqa: E731
    assert pushed == {1: (hour(3), hour(5)), 2: (hour(5), hour(7)), 3: (hour(5), hour(6))}


def test_nothing_is_pushed_when_the_rush_fits_a_gap():
    assert push_later([slot(100, 50, 1, 7, 2, 1)], [slot(1, 10, 1, 7, 0, 2), slot(2, 20, 1, 7, 3, 1)]) == []
