"""The four dashboard modules as JSON-ready data, each from a few aggregate queries (no query per row),
so one computation serves every open screen (realtime/dashboard.py broadcasts it)."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from domain.kpi import countdown, heatmap, order_pool, quality_facts
from domain.kpi.periods import utc_midnight
from domain.masterdata import Customer, Product, Workshop
from domain.orders.models import Order
from domain.production.models import CANCELLED, ON_HOLD, Machine, Operation, WorkOrder
from domain.stage_machine import OPEN_STAGES, QUOTE
from extensions import db

HEATMAP_DAYS_BEFORE, HEATMAP_DAYS = 3, 14
# Operations are found by their start (indexed); one that started longer ago than this and is still
# running is not counted. Injection-molding operations last hours to days, not months.
LONGEST_OPERATION = timedelta(days=31)
COUNTDOWN_DAYS, COUNTDOWN_LIMIT = 14, 40
KITTING_LIMIT = 30
MODULES = ("order_pool", "heatmap", "kitting", "countdown")
COUNTDOWN_STAGES = tuple(s for s in OPEN_STAGES if s != QUOTE)


def order_pool_data() -> dict[str, Any]:
    """Two queries: every order by stage (the stage index covers it), and the open orders by
    stage × priority × customer, summed here into the priority and customer counts."""
    stages = dict(db.session.execute(select(Order.stage, func.count()).group_by(Order.stage)).all())
    open_rows = db.session.execute(
        select(Order.priority, Order.customer_id, func.count())
        .where(Order.stage.in_(OPEN_STAGES))
        .group_by(Order.stage, Order.priority, Order.customer_id)
    ).all()
    priorities: dict[str, int] = defaultdict(int)
    per_customer: dict[int, int] = defaultdict(int)
    for priority, customer_id, count in open_rows:
        priorities[priority] += count
        per_customer[customer_id] += count
    top = sorted(per_customer.items(), key=lambda item: (-item[1], item[0]))[: order_pool.TOP_CUSTOMERS]
    names = {
        cid: (code, name)
        for cid, code, name in db.session.execute(
            select(Customer.id, Customer.code, Customer.name).where(Customer.id.in_([cid for cid, _n in top]))
        )
    }
    customers = [(*names[cid], n) for cid, n in top if cid in names]
    pool = order_pool.shape(stages, priorities, customers, {})
    return {
        "open_total": pool.open_total,
        "by_stage": [_count(c) for c in pool.by_stage],
        "by_priority": [_count(c) for c in pool.by_priority],
        "by_customer": [_count(c) for c in pool.by_customer],
    }


def _count(c: order_pool.PoolCount) -> dict[str, Any]:
    return {"key": c.key, "label": c.label, "count": c.count, "filters": c.filters}


def _workshops() -> list[heatmap.WorkshopRow]:
    machines = (
        select(Machine.workshop_id, func.count().label("n"))
        .where(Machine.active.is_(True))
        .group_by(Machine.workshop_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Workshop.id, Workshop.name, func.coalesce(machines.c.n, 0))
        .outerjoin(machines, machines.c.workshop_id == Workshop.id)
        .where(Workshop.active.is_(True))
        .order_by(Workshop.code)
    ).all()
    return [heatmap.WorkshopRow(id, name, int(n)) for id, name, n in rows]


def heatmap_data(today: date, zone: ZoneInfo, hours_per_machine: float) -> dict[str, Any]:
    first = today - timedelta(days=HEATMAP_DAYS_BEFORE)
    start, end = utc_midnight(first, zone), utc_midnight(first + timedelta(days=HEATMAP_DAYS), zone)
    workshops = _workshops()
    query = (
        select(
            Operation.workshop_id,
            Operation.planned_start,
            Operation.planned_end,
            Operation.status,
            Operation.good_qty,
            WorkOrder.quantity,
        )
        .join(WorkOrder, WorkOrder.id == Operation.work_order_id)
        .where(
            Operation.workshop_id.in_([w.id for w in workshops]),
            Operation.planned_start >= start - LONGEST_OPERATION,
            Operation.planned_start < end,
            Operation.planned_end > start,
            Operation.status.not_in((ON_HOLD, CANCELLED)),  # a stopped work order loads no machine
        )
    )
    slots = [
        heatmap.OperationSlot(ws, begin, finish, status, float(good / qty) if qty else 0.0)
        for ws, begin, finish, status, good, qty in db.session.execute(query)
    ]
    result = heatmap.build(slots, workshops, first, HEATMAP_DAYS, zone, hours_per_machine)
    return {
        "today": today.isoformat(),
        "days": [d.isoformat() for d in result.days],
        "workshops": [
            {
                "id": w.id,
                "name": w.name,
                "machines": w.machines,
                "cells": [
                    {
                        "planned_hours": round(c.planned_hours, 1),
                        "capacity_hours": round(c.capacity_hours, 1),
                        "load": None if c.load is None else round(c.load, 3),
                        "progress": None if c.progress is None else round(c.progress, 3),
                    }
                    for c in result.cells[w.id]
                ],
            }
            for w in workshops
        ],
    }


def countdown_data(today: date) -> dict[str, Any]:
    """Orders the plant has promised (confirmed or later, not shipped) due within 14 days, and late
    ones: the 40 due soonest, alarms first, then by due date. A quote is no promise yet: a draft with a
    past due date must not head the red countdown."""
    window = (Order.stage.in_(COUNTDOWN_STAGES), Order.due_date <= today + timedelta(days=COUNTDOWN_DAYS))
    total = db.session.execute(select(func.count()).select_from(Order).where(*window)).scalar_one()
    rows = db.session.execute(
        select(
            Order.id,
            Order.number,
            Customer.name,
            Product.model,
            Order.due_date,
            Order.stage,
            Order.priority,
        )
        .join(Customer, Customer.id == Order.customer_id)
        .join(Product, Product.id == Order.product_id)
        .where(*window)
        .order_by(Order.due_date, Order.id)
        .limit(COUNTDOWN_LIMIT)
    ).all()
    passed = quality_facts.passed_first_article([row[0] for row in rows])
    entries = countdown.most_urgent_first(
        [
            countdown.entry(
                countdown.CountdownOrder(*row, first_article_passed=row[0] in (passed or ())), today
            )
            for row in rows
        ]
    )
    return {
        "today": today.isoformat(),
        "total": total,
        "first_article_known": passed is not None,
        "alarm_count": sum(e.alarm for e in entries),
        "orders": [
            {
                "id": e.order.id,
                "number": e.order.number,
                "customer": e.order.customer,
                "product_model": e.order.product_model,
                "due_date": e.order.due_date.isoformat(),
                "stage": e.order.stage,
                "priority": e.order.priority,
                "first_article_passed": e.order.first_article_passed if passed is not None else None,
                "days_left": e.days_left,
                "alarm": e.alarm,
                "tone": e.tone,
            }
            for e in entries
        ],
    }


def kitting_data(zone: ZoneInfo) -> dict[str, Any]:
    alerts = quality_facts.kitting_alerts(zone, KITTING_LIMIT)
    if alerts is None:
        return {"available": False, "work_orders": [], "total": None}
    return {"available": True, **alerts}


def all_modules(today: date, zone: ZoneInfo, hours_per_machine: float) -> dict[str, Any]:
    return {
        "order_pool": order_pool_data(),
        "heatmap": heatmap_data(today, zone, hours_per_machine),
        "kitting": kitting_data(zone),
        "countdown": countdown_data(today),
    }
