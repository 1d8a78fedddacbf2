"""The order stage machine of DESIGN §3: forward edges only, cancel before shipped, nothing else."""

from itertools import pairwise

import pytest

from domain.errors import DomainError
from domain.stage_machine import FORWARD, STAGES, allowed_next, check_transition, is_allowed


@pytest.mark.parametrize(("from_stage", "to_stage"), list(pairwise(FORWARD)))
def test_each_forward_edge_is_allowed(from_stage, to_stage):
    check_transition(from_stage, to_stage)


@pytest.mark.parametrize("stage", FORWARD[:-1])
def test_cancel_is_allowed_from_every_stage_before_shipped(stage):
    assert is_allowed(stage, "cancelled")


def test_shipped_and_cancelled_are_final():
    assert allowed_next("shipped") == frozenset()
    assert allowed_next("cancelled") == frozenset()


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        ("quote", "scheduling"),  # skipping a stage
        ("in_production", "confirmed"),  # going back
        ("shipped", "cancelled"),  # cancelling after shipping
        ("cancelled", "quote"),  # reviving
        ("confirmed", "confirmed"),  # staying put
    ],
)
def test_any_other_move_is_an_illegal_transition_409(from_stage, to_stage):
    with pytest.raises(DomainError) as caught:
        check_transition(from_stage, to_stage)
    assert caught.value.code == "illegal_transition"
    assert caught.value.status == 409


def test_unknown_target_stage_is_refused():
    with pytest.raises(DomainError) as caught:
        check_transition("quote", "archived")
    assert caught.value.code == "unknown_stage"


def test_exactly_the_designed_edges_exist():
    edges = {(a, b) for a in STAGES for b in STAGES if is_allowed(a, b)}
    forward = set(pairwise(FORWARD))
    cancels = {(s, "cancelled") for s in (*FORWARD[:-1], "on_hold")}
    holds = {(s, "on_hold") for s in FORWARD[:-1]}
    assert edges == forward | cancels | holds  # resuming goes back to `held_from`, not a fixed edge
