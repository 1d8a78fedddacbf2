"""The demo plant's change notices (DESIGN §3.2): process change notices (工艺变更通知) issued every month
since the first demo shipment, each acknowledged by the planner and a team leader some hours later —
slower in the early months, faster lately — so OHDI's change response term has a history; and one
notice issued yesterday that nobody has read yet, which counts against this month until it is.
Called by demo_plant.py after production."""

import random
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import func, select

from domain.clock import from_plant, utcnow
from domain.kpi.periods import last_months, month_bounds_utc
from domain.masterdata import Product
from domain.orders.changes import PROCESS, ChangeNotice, ChangeRecipient
from domain.orders.models import OrderStageEvent
from domain.roles import LEADER, PLANNER
from domain.stage_machine import SHIPPED
from extensions import db

NOTICES = (
    ("模温调整 Mold temperature", "模温由 60 °C 调至 65 °C，减少缩痕。Mold at 65 °C against sink marks."),
    ("保压时间 Holding time", "保压时间 4 s → 5 s，注意首件尺寸。Holding 5 s; check the first article."),
    ("色母比例 Masterbatch ratio", "色母比例 2% → 2.5%，对色后再量产。Masterbatch 2.5 %; match the colour."),
    ("包装变更 Packing", "每箱由 200 件改为 150 件。150 pieces per carton instead of 200."),
)
ISSUED_AT = time(9, 30)  # plant time, on the 3rd and the 17th of each month
DAYS = (3, 17)


def seed_changes(today: date, zone: tzinfo, rng: random.Random, users: dict) -> None:
    products = list(db.session.execute(select(Product).order_by(Product.id).limit(8)).scalars())
    first_shipped = db.session.execute(
        select(func.min(OrderStageEvent.at)).where(OrderStageEvent.to_stage == SHIPPED)
    ).scalar_one()
    if first_shipped is None or not products:
        return
    now = utcnow()
    months = [m for m in last_months(today, 24) if month_bounds_utc(m, zone)[1] > first_shipped]
    for age, month in enumerate(reversed(months)):  # age 0: this month
        year, number = (int(part) for part in month.split("-"))
        for day in DAYS:
            issued = _utc(date(year, number, day), zone)
            hours = rng.uniform(1.0, 5.0) + 1.5 * age  # answered faster month by month
            if issued + timedelta(hours=hours) < now:
                _notice(rng.choice(products), rng, issued, users, hours)
    yesterday = _utc(today - timedelta(days=1), zone)
    _notice(products[0], rng, yesterday, users, None)  # still unread: it weighs on this month
    db.session.flush()


def _utc(day: date, zone: tzinfo) -> datetime:
    return from_plant(datetime.combine(day, ISSUED_AT), zone)


def _notice(product, rng: random.Random, issued: datetime, users: dict, hours: float | None) -> None:
    title, body = rng.choice(NOTICES)
    notice = ChangeNotice(
        kind=PROCESS,
        product_id=product.id,
        title=title,
        body=body,
        created_by_id=users["admin"].id,
        created_at=issued,
    )
    readers = ((users["planner"], PLANNER), (users["leader"], LEADER))
    for n, (user, reason) in enumerate(readers):
        # the planner reads first, the leader's acknowledgement completes the notice
        at = None if hours is None else issued + timedelta(hours=hours * (0.4 if n == 0 else 1.0))
        notice.recipients.append(ChangeRecipient(user_id=user.id, reason=reason, acknowledged_at=at))
    if hours is not None:
        notice.completed_at = max(r.acknowledged_at for r in notice.recipients)
        notice.response_seconds = int((notice.completed_at - issued).total_seconds())
    db.session.add(notice)
