"""Weekly entry-error tallies per user from what is already recorded (no table of their own, so the
counts can never drift from the facts): refused submissions from the submission log of the compliance
engine, and corrections from the audit log: every `order_edit` of an order after its confirmation,
charged to the user who submitted it (the one whose entry needed correcting)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, select

from domain.adoption.points import WeekResult, WeekTally, judge, total_points, week_start
from domain.audit import AuditLog
from domain.clock import plant_date, plant_today
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import OrderStageEvent
from domain.users import User
from extensions import db


@dataclass(frozen=True)
class EntryRecord:
    user: User
    weeks: list[WeekResult]  # oldest first

    @property
    def points(self) -> int:
        return total_points(self.weeks)

    @property
    def submissions(self) -> int:
        return sum(w.tally.submissions for w in self.weeks)

    @property
    def errors(self) -> int:
        return sum(w.tally.errors for w in self.weeks)

    def recent(self, n: int) -> list[WeekResult]:
        return list(reversed(self.weeks[-n:]))


def _plant_week(at: datetime, zone: ZoneInfo) -> date:
    return week_start(plant_date(at, zone))


def _submissions(user_ids: Iterable[int] | None):
    query = select(OrderSubmission.user_id, OrderSubmission.at, OrderSubmission.failed_count).where(
        OrderSubmission.user_id.is_not(None)
    )
    if user_ids is not None:
        query = query.where(OrderSubmission.user_id.in_(list(user_ids)))
    return db.session.execute(query)


def _corrections(user_ids: Iterable[int] | None):
    confirmed = OrderStageEvent
    query = (
        select(confirmed.user_id, AuditLog.at)
        .join(
            confirmed,
            and_(
                AuditLog.entity_id == cast(confirmed.order_id, String),
                confirmed.to_stage == "confirmed",
                confirmed.at <= AuditLog.at,
            ),
        )
        .where(AuditLog.entity == "order", AuditLog.action == "order_edit", confirmed.user_id.is_not(None))
    )
    if user_ids is not None:
        query = query.where(confirmed.user_id.in_(list(user_ids)))
    return db.session.execute(query)


def tallies(zone: ZoneInfo, user_ids: Iterable[int] | None = None) -> dict[int, list[WeekTally]]:
    """{user id: one tally per week from their first entry to this week}, weeks in `zone`."""
    counts: dict[int, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for user_id, at, failed in _submissions(user_ids):
        week = counts[user_id][_plant_week(at, zone)]
        week[0] += 1
        week[1] += failed > 0
    for user_id, at in _corrections(user_ids):
        counts[user_id][_plant_week(at, zone)][2] += 1
    this_week = week_start(plant_today(zone))
    out = {}
    for user_id, weeks in counts.items():
        start, found = min(weeks), []
        while start <= this_week:
            found.append(WeekTally(start, *weeks.get(start, (0, 0, 0))))
            start = date.fromordinal(start.toordinal() + 7)
        out[user_id] = found
    return out


def record_for(user: User, zone: ZoneInfo) -> EntryRecord:
    today = plant_today(zone)
    weeks = tallies(zone, [user.id]).get(user.id, [])
    return EntryRecord(user, judge(weeks, today))


def overview(zone: ZoneInfo) -> list[EntryRecord]:
    """Every user with at least one entry, most points first."""
    today = plant_today(zone)
    found = tallies(zone)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(found))))}
    records = [EntryRecord(users[uid], judge(weeks, today)) for uid, weeks in found.items() if uid in users]
    return sorted(records, key=lambda r: (-r.points, r.user.username))
