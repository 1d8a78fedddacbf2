"""The service ticket's state machine: open → assigned → on_site → resolved → closed, nothing else."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError

OPEN, ASSIGNED, ON_SITE, RESOLVED, CLOSED = "open", "assigned", "on_site", "resolved", "closed"
STATES = (OPEN, ASSIGNED, ON_SITE, RESOLVED, CLOSED)
ACTIVE = (OPEN, ASSIGNED, ON_SITE)  # a technician still has work to do
STATE_LABELS = {
    OPEN: _l("Open"),
    ASSIGNED: _l("Assigned"),
    ON_SITE: _l("On site"),
    RESOLVED: _l("Resolved"),
    CLOSED: _l("Closed"),
}
EDGES: dict[str, frozenset[str]] = {state: frozenset({STATES[i + 1]}) for i, state in enumerate(STATES[:-1])}
EDGES[CLOSED] = frozenset()
# Work on the ticket itself (parts, photos, diagnosis) is recorded while a technician holds it.
WORKING = frozenset({ASSIGNED, ON_SITE})
MIN_RATING, MAX_RATING = 1, 5


def check_transition(current: str, target: str) -> None:
    """Refuse anything but the next state: 409 `illegal_transition`."""
    if target not in STATES:
        raise DomainError(
            "unknown_state",
            _("There is no ticket state called %(state)s.", state=target),
            {"to": _("unknown")},
        )
    if target not in EDGES.get(current, frozenset()):
        raise DomainError(
            "illegal_transition",
            _(
                "A ticket cannot move from %(current)s to %(target)s.",
                current=STATE_LABELS.get(current, current),
                target=STATE_LABELS[target],
            ),
            {"to": _("Not allowed from the current state.")},
            status=409,
        )


def check_working(state: str) -> None:
    """Parts, photos and the diagnosis belong to a ticket a technician holds (assigned or on site)."""
    if state not in WORKING:
        raise DomainError(
            "ticket_not_in_work",
            _(
                "This ticket is %(state)s; work is recorded only while it is assigned or on site.",
                state=STATE_LABELS.get(state, state),
            ),
            {},
            status=409,
        )


def check_rating(rating: int | None) -> int:
    if rating is None or not MIN_RATING <= rating <= MAX_RATING:
        message = _("Give the customer's rating from 1 to 5.")
        raise DomainError("invalid_rating", message, {"rating": message})
    return rating
