"""The order stage machine of DESIGN §3: only the forward edges, and cancel or hold from any stage before
shipped. A held order resumes to the stage it was held in (`Order.held_from`), or is cancelled."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError

QUOTE, CONFIRMED, SCHEDULING, IN_PRODUCTION, AWAITING_QC, SHIPPED, ON_HOLD, CANCELLED = (
    "quote",
    "confirmed",
    "scheduling",
    "in_production",
    "awaiting_qc",
    "shipped",
    "on_hold",
    "cancelled",
)
FORWARD = (QUOTE, CONFIRMED, SCHEDULING, IN_PRODUCTION, AWAITING_QC, SHIPPED)
STAGES = (*FORWARD, ON_HOLD, CANCELLED)
OPEN_STAGES = (*FORWARD[:-1], ON_HOLD)
# Stopping an order needs a reason (DESIGN §3): it is shown wherever the stop is.
STOPS = frozenset({ON_HOLD, CANCELLED})
FINAL_STAGES = frozenset({SHIPPED, CANCELLED})

STAGE_LABELS = {
    QUOTE: _l("Quote"),
    CONFIRMED: _l("Confirmed"),
    SCHEDULING: _l("Scheduling"),
    IN_PRODUCTION: _l("In production"),
    AWAITING_QC: _l("Awaiting QC"),
    SHIPPED: _l("Shipped"),
    ON_HOLD: _l("On hold"),
    CANCELLED: _l("Cancelled"),
}

# stage → the stages it may move to. Built from the forward chain so the two can never disagree.
EDGES: dict[str, frozenset[str]] = {
    stage: frozenset({FORWARD[i + 1], ON_HOLD, CANCELLED}) for i, stage in enumerate(FORWARD[:-1])
}
EDGES[SHIPPED] = frozenset()
EDGES[ON_HOLD] = frozenset({CANCELLED})  # resuming goes back to `held_from`: see may_resume_to
EDGES[CANCELLED] = frozenset()


def allowed_next(stage: str) -> frozenset[str]:
    return EDGES.get(stage, frozenset())


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in allowed_next(from_stage)


def check_transition(from_stage: str, to_stage: str) -> None:
    """Refuse anything but an allowed edge: 409 `illegal_transition`, never a silent change."""
    if to_stage not in STAGES:
        raise DomainError(
            "unknown_stage",
            _("There is no stage called %(stage)s.", stage=to_stage),
            {"to": _("Unknown stage.")},
        )
    if not is_allowed(from_stage, to_stage):
        raise DomainError(
            "illegal_transition",
            _(
                "An order cannot move from %(current)s to %(target)s.",
                current=STAGE_LABELS.get(from_stage, from_stage),
                target=STAGE_LABELS[to_stage],
            ),
            {"to": _("Not allowed from the current stage.")},
            status=409,
        )


def may_resume_to(held_from: str | None) -> bool:
    """A held order goes back to the open stage it was held in."""
    return held_from in FORWARD[:-1]
