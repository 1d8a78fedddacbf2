"""How production moves its order through the stage machine (DESIGN §3): converting → scheduling, the
first start on the floor → in_production, the last work order finished → awaiting_qc."""

from typing import Any

from domain import audit, stage_machine
from domain.orders.models import Order, OrderStageEvent
from domain.quality import stage_gate


def move_order(order: Order, to_stage: str, actor: Any) -> None:
    """A checked, timestamped, attributed and audited transition in the caller's transaction."""
    stage_machine.check_transition(order.stage, to_stage)
    order.stage_events.append(OrderStageEvent(from_stage=order.stage, to_stage=to_stage, user_id=actor.id))
    audit.record("order_stage", "order", order.id, {"stage": [order.stage, to_stage]}, actor=actor)
    order.stage = to_stage


def advance_order(order: Order, to_stage: str, actor: Any) -> bool:
    """Move forward one edge if the order is on the stage just before `to_stage`; a later stage (or a
    second work order reaching the same point) leaves it alone. An order whose inspections are not
    passed waits (QC's passed first-article inspection moves it on later). True when it moved."""
    if to_stage == stage_machine.CANCELLED or not stage_machine.is_allowed(order.stage, to_stage):
        return False
    if stage_gate.inspections_passed(order, to_stage):
        move_order(order, to_stage, actor)
        return True
    return False
