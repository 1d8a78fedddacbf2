"""The scheduler's settings (DESIGN §4): the plant calendar, the frozen window and changeover minutes.
Defaults are the plant's (two 8-hour shifts every day, the next 8 hours frozen); a planner's changes
are one row of SchedulingSettingsRecord."""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from domain import audit
from domain.errors import DomainError
from domain.production.models import SchedulingSettingsRecord
from domain.scheduling.calendar import Calendar
from domain.scheduling.problem import Changeovers
from domain.transactions import write_transaction
from extensions import db


@dataclass(frozen=True)
class SchedulingSettings:
    shifts: list[list[str]] = field(default_factory=lambda: [["08:00", "16:00"], ["16:00", "24:00"]])
    weekdays: list[int] = field(default_factory=lambda: list(range(7)))  # 0 = Monday
    days_off: list[str] = field(default_factory=list)  # ISO dates
    frozen_hours: int = 8  # pending operations starting this soon stay where they are
    mold_minutes: int = 90
    lighter_minutes: int = 60
    colour_minutes: int = 20
    time_limit_seconds: float = 3.0

    def calendar(self) -> Calendar:
        return Calendar(
            shifts=tuple((_minute(a), _minute(b)) for a, b in self.shifts),
            weekdays=frozenset(self.weekdays),
            days_off=frozenset(date.fromisoformat(d) for d in self.days_off),
        )

    def changeovers(self) -> Changeovers:
        return Changeovers(self.mold_minutes, self.lighter_minutes, self.colour_minutes)


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def load() -> SchedulingSettings:
    record = db.session.get(SchedulingSettingsRecord, 1)
    if record is None:
        return SchedulingSettings()
    return SchedulingSettings(**{**asdict(SchedulingSettings()), **record.settings})


def save(changes: dict[str, Any], actor: Any) -> SchedulingSettings:
    """Validated by building the calendar; one transaction, audited."""
    with write_transaction():
        before = asdict(load())
        settings = SchedulingSettings(**{**before, **changes})
        try:
            settings.calendar()
        except ValueError as error:
            raise DomainError(
                "invalid_calendar", _("The shifts are not valid times of one day."), {"shifts": str(error)}
            ) from error
        record = db.session.get(SchedulingSettingsRecord, 1) or SchedulingSettingsRecord(id=1, settings={})
        record.settings, record.updated_by_id = asdict(settings), getattr(actor, "id", None)
        db.session.add(record)
        audit.record(
            "scheduling.settings", "scheduling_settings", 1, audit.diff(before, asdict(settings)), actor=actor
        )
    return settings
