"""The home page's role cards: built in domain/role_cards.py; here only what needs the web app's URL
map (the VP's link to the rush requests waiting for a decision)."""

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from domain import role_cards, roles
from domain.clock import plant_today
from domain.role_cards import Card
from domain.rush_orders import PENDING_VP
from domain.users import User

__all__ = ["Card", "cards_for", "plant_today"]


def cards_for(user: User, today: date) -> list[Card]:
    """One card per role the user holds, in a fixed order so the page never reshuffles."""
    cards = role_cards.cards_for(user, today)
    for card in cards:
        if card.role == roles.VP:
            card.link = (url_for("rush.index", status=PENDING_VP), _("Open the rush requests to decide"))
    return cards
