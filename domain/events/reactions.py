"""Who reacts to each domain event inside the cause's transaction (DESIGN §3.0): the one place to read
what an order event changes. Notifications after the commit are wired in realtime/notifiers.py."""

from domain.delivery import outbox
from domain.events.bus import reacts_to
from domain.events.types import (
    FirstArticleRequested,
    OrderCancelled,
    OrderHeld,
    OrderResumed,
    ProcessChanged,
    RushRequested,
    SpecChanged,
    WorkOrderConverted,
)
from domain.kitting import stops as kitting_stops
from domain.production import spec_follow
from domain.production import stops as production_stops
from domain.stock import transfer_stops

REACTIONS = {
    OrderCancelled: (
        production_stops.stop_work_orders,  # not started: cancelled; started: on hold, output kept
        kitting_stops.release_for_order,
        transfer_stops.stop_for_order,
    ),
    OrderHeld: (
        production_stops.stop_work_orders,
        kitting_stops.release_for_order,
        transfer_stops.stop_for_order,
    ),
    OrderResumed: (
        production_stops.resume_work_orders,  # and placed again on the Gantt
        kitting_stops.restore_for_order,
        transfer_stops.resume_for_order,
    ),
    SpecChanged: (
        spec_follow.follow_spec,  # work order, card text, material list
        outbox.notice_issued,  # 企业微信 messages, delivered by the outbox worker
    ),
    ProcessChanged: (outbox.notice_issued,),
    WorkOrderConverted: (outbox.card_converted,),
    FirstArticleRequested: (outbox.first_article_requested,),
    RushRequested: (outbox.rush_requested,),
}

for _kind, _handlers in REACTIONS.items():
    for _handler in _handlers:
        reacts_to(_kind)(_handler)
