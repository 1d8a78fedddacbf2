"""A person's notification settings (DESIGN §4): per kind of message and channel on or off, and quiet
hours in plant time that hold non-urgent messages (change notices, rush decisions) until they end."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from domain.delivery import rules
from domain.delivery.models import WEB_PUSH, WECOM_APP, NotificationSetting
from domain.errors import DomainError
from domain.transactions import write_transaction
from extensions import db

PERSONAL_CHANNELS = (WECOM_APP, WEB_PUSH)
HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class Choices:
    on: frozenset[str]  # "kind:channel" wanted
    quiet_from: str  # "HH:MM" or ""
    quiet_to: str


def current(user_id: int) -> Choices:
    row = db.session.get(NotificationSetting, user_id)
    every = {f"{k}:{c}" for k in rules.KINDS for c in PERSONAL_CHANNELS}
    muted = set(row.muted) if row else set()
    return Choices(
        frozenset(every - muted), row.quiet_from or "" if row else "", row.quiet_to or "" if row else ""
    )


def save(user_id: int, choices: Choices) -> None:
    problems = {}
    for name in ("quiet_from", "quiet_to"):
        value = getattr(choices, name)
        if value and not HHMM.fullmatch(value):
            problems[name] = _("A time of day as HH:MM, e.g. 22:00.")
    if bool(choices.quiet_from) != bool(choices.quiet_to):
        problems["quiet_to" if choices.quiet_from else "quiet_from"] = _("Give both ends of the quiet hours.")
    if problems:
        raise DomainError("validation_error", _("Some fields are not valid."), problems)
    every = [f"{k}:{c}" for k in rules.KINDS for c in PERSONAL_CHANNELS]
    with write_transaction():
        row = db.session.get(NotificationSetting, user_id) or NotificationSetting(user_id=user_id)
        row.muted = [pair for pair in every if pair not in choices.on]
        row.quiet_from, row.quiet_to = choices.quiet_from or None, choices.quiet_to or None
        db.session.add(row)
