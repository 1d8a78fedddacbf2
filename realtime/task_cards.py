"""Task cards over Socket.IO (DESIGN §4): a new card or a card's change goes to the team's room once
the transaction that made it has committed (realtime/notifiers.py); a (re)connecting phone
subscribes with the last card seq it saw per team and gets every card after it, in order, as the
acknowledgement.

Subscribe joins the rooms before it reads the database, so a card committed in between arrives both
live and in the replay, never in neither; the phone drops the second copy by card id."""

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user

from domain.production import task_cards
from domain.production.card_payload import card_payload
from extensions import socketio
from realtime import join
from realtime.notifiers import team_room

SUBSCRIBE_EVENT = "task_cards_subscribe"


@socketio.on(SUBSCRIBE_EVENT)
def on_subscribe(data: Any = None) -> dict[str, Any]:
    """{"after": {"<team id>": last seq seen}} → {"ok": true, "teams": [...], "cards": [...], "more"}:
    the cards after those seqs, per team in seq order (a team not named: its open cards); `more`
    when the answer was cut at REPLAY_LIMIT, so the phone asks again from where it got to."""
    if not current_user.is_authenticated:
        return {"ok": False, "error": {"code": "unauthorized", "message": _("Please sign in first.")}}
    after = _after(data)
    if after is None:
        message = _("Say the last card seen per team as numbers.")
        return {"ok": False, "error": {"code": "validation_error", "message": message}}
    team_ids = task_cards.led_team_ids(current_user)
    for team_id in team_ids:
        join(team_room(team_id))
    cards = [card_payload(c) for c in task_cards.cards_after(team_ids, after)]
    return {"ok": True, "teams": team_ids, "cards": cards, "more": len(cards) == task_cards.REPLAY_LIMIT}


def _after(data: Any) -> dict[int, int] | None:
    raw = data.get("after", {}) if isinstance(data, dict) else {}
    if not isinstance(raw, dict):
        return None
    try:
        return {int(team): int(seq) for team, seq in raw.items()}
    except (TypeError, ValueError):
        return None
