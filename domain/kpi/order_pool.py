"""Order pool overview (订单池总览): how many orders sit in each stage, and the open ones by priority
and by customer, each count linking to the order list filtered the same way."""

from dataclasses import dataclass

from domain.orders.models import PRIORITIES
from domain.stage_machine import OPEN_STAGES, STAGES

TOP_CUSTOMERS = 10


@dataclass(frozen=True)
class PoolCount:
    key: str
    label: str
    count: int
    filters: dict[str, str]  # query parameters of the order list (blueprints/order_forms.FilterForm)


@dataclass(frozen=True)
class OrderPool:
    open_total: int
    by_stage: list[PoolCount]
    by_priority: list[PoolCount]
    by_customer: list[PoolCount]


def shape(
    stage_counts: dict[str, int],
    priority_counts: dict[str, int],
    customer_counts: list[tuple[str, str, int]],  # (code, name, open orders), most first
    stage_labels: dict[str, str],
) -> OrderPool:
    return OrderPool(
        open_total=sum(stage_counts.get(s, 0) for s in OPEN_STAGES),
        by_stage=[PoolCount(s, stage_labels.get(s, s), stage_counts.get(s, 0), {"stage": s}) for s in STAGES],
        by_priority=[PoolCount(p, p, priority_counts.get(p, 0), {"priority": p}) for p in PRIORITIES],
        by_customer=[
            PoolCount(code, name, count, {"customer_code": code})
            for code, name, count in customer_counts[:TOP_CUSTOMERS]
        ],
    )
