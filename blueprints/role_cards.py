"""The home page's role cards: built in domain/role_cards.py; here only what needs the web app's URL
map (the VP's link to the rush requests waiting for a decision, the supervisor's to the exceptions)."""

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from domain import role_cards, roles
from domain.clock import plant_today
from domain.orders.rush_requests import PENDING_VP
from domain.role_cards import Card
from domain.users import User

__all__ = ["Card", "cards_for", "plant_today"]


def cards_for(user: User, today: date) -> list[Card]:
    """One card per role the user holds, in a fixed order so the page never reshuffles."""
    cards = role_cards.cards_for(user, today)
    for card in cards:
        if card.role == roles.VP:
            card.link = (url_for("rush.index", status=PENDING_VP), _("Open the rush requests to decide"))
        if card.role == roles.SUPERVISOR:
            card.link = (url_for("exceptions.index", day=today.isoformat()), _("Warehouse exceptions"))
    return cards
