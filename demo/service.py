"""The demo plant's after-sales history: 240 service tickets with Chinese (and a few English) fault
descriptions, several fault families per product model, each fixed by its typical part.

`history(rng)` is plain data, used by the recommendation test and bench; `seed_service(...)` writes it
into the demo plant (called by demo_plant.py): spare parts, a stocked warehouse per service point, and
the tickets. Seeded tickets stand for history imported from the old after-sales sheet, so their part
uses carry no ledger move; every part used from now on is issued through the ledger."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import select

from demo.engineering import footprint
from demo.service_catalogue import (
    CLOSINGS,
    ENGLISH,
    FAULTS,
    OPENINGS,
    QUANTITIES,
    SPARE_PARTS,
    FaultFamily,
    ModelFaults,
)
from domain.clock import from_plant, plant_date, utcnow
from domain.masterdata import Customer, Location, Product, ServicePoint, Sku, Warehouse
from domain.orders.models import Order, OrderStageEvent
from domain.service import states
from domain.service.tickets import (
    ProductWarranty,
    ServicePartUse,
    ServiceTicket,
    ServiceTicketEvent,
)
from domain.stock import balances
from domain.stock.ledger import RECEIPT
from geofence.metric import distance_m

TICKETS = 240
MISDIAGNOSED = 0.07  # share of tickets where the part used is not the family's usual one
ENGLISH_SHARE = 0.12
OPEN_TICKETS = 8  # the newest tickets are still being worked on in the demo
# A batch of chargers with a moulding fault (thin wall near the plug) came back early and often: the
# model the analytics page should flag.
CLUSTERED = {"OH-HS-1310": 3.5}
WARRANTY_MONTHS = {"OH-HS-1420": 36, "OH-HS-1421": 36, "OH-CN-3301": 24}  # meters and cars: longer


@dataclass(frozen=True)
class HistoryTicket:
    ref: str
    model: str
    description: str
    part: str
    qty: int
    age_days: int  # from shipment to the repair request
    days_ago: int  # when the ticket was opened, before today
    rating: int


def history(rng: random.Random, count: int = TICKETS) -> list[HistoryTicket]:
    """`count` tickets over the last two years, oldest first; refs ST-H0001 ... in that order."""
    drafts = []
    for _ in range(count):
        faults = rng.choices(FAULTS, weights=[CLUSTERED.get(f.model, 1.0) for f in FAULTS])[0]
        family = rng.choice(faults.families)
        part = family.part
        if rng.random() < MISDIAGNOSED:
            part = rng.choice([f.part for f in faults.families if f.part != family.part] or [part])
        drafts.append((rng.randint(1, 730), faults, family, part))
    drafts.sort(key=lambda d: -d[0])
    return [
        HistoryTicket(
            ref=f"ST-H{i:04d}",
            model=faults.model,
            description=describe(faults, family, rng),
            part=part,
            qty=rng.choice((1, 1, 1, 2)),
            age_days=rng.randint(10, 150) if faults.model in CLUSTERED else rng.randint(10, 900),
            days_ago=days_ago,
            rating=rng.choices((5, 4, 3, 2, 1), weights=(45, 30, 14, 7, 4))[0],
        )
        for i, (days_ago, faults, family, part) in enumerate(drafts, start=1)
    ]


def describe(faults: ModelFaults, family: FaultFamily, rng: random.Random) -> str:
    if family.part in ENGLISH and rng.random() < ENGLISH_SHARE:
        return f"{faults.model}: {rng.choice(ENGLISH[family.part])}"
    text = rng.choice(OPENINGS) + rng.choice((faults.thing, faults.model, "")) + rng.choice(family.symptoms)
    if family.details and rng.random() < 0.6:
        text += "，" + rng.choice(family.details)
    text += rng.choice(QUANTITIES).format(n=rng.randint(2, 30))
    return text + rng.choice(CLOSINGS)


# ---- seeding ----


def seed_service(today: date, zone: tzinfo, rng: random.Random, users: dict) -> None:
    parts = _spare_parts()
    _service_warehouses(parts, rng)
    products = {p.model: p for p in _session().execute(select(Product)).scalars()}
    _session().add_all(
        ProductWarranty(product_id=products[model].id, months=months)
        for model, months in WARRANTY_MONTHS.items()
        if model in products
    )
    customers = list(
        _session()
        .execute(select(Customer).where(Customer.blocked.is_(False)).order_by(Customer.code))
        .scalars()
    )
    shipped = _shipped_orders()
    points = list(_session().execute(select(ServicePoint).order_by(ServicePoint.code)).scalars())
    records = history(rng)
    for number, record in enumerate(records, start=1):
        ticket = _ticket(number, record, products, customers, shipped, points, users, today, zone, rng)
        _session().add(ticket)
        _progress(ticket, record, parts, users, today, zone, rng, number > len(records) - OPEN_TICKETS)


def _session():
    from extensions import db

    return db.session


def _spare_parts() -> dict[str, Sku]:
    parts = {
        code: Sku(code=code, name=name, unit="pcs", kind="part", safety_stock=Decimal(5))
        for code, name in SPARE_PARTS
    }
    _session().add_all(parts.values())
    _session().flush()
    return parts


def _service_warehouses(parts: dict[str, Sku], rng: random.Random) -> None:
    """Each service point keeps its parts in a small warehouse of its own (one shelf zone), stocked
    through the ledger; each point lacks a few parts, so the nearest point is not always the answer."""
    for point in _session().execute(select(ServicePoint).order_by(ServicePoint.code)).scalars():
        code = "WH-" + point.code
        warehouse = Warehouse(
            code=code,
            name=point.name + "备件库",
            address=point.address,
            fence=footprint((point.lon, point.lat), ((0, 0), (40, 0), (40, 30), (0, 30)), 0.0),
            capacity=Decimal(0),
        )
        warehouse.locations = [Location(code=f"S-01-{i:02d}", name=f"备件架 1 排 {i} 层") for i in (1, 2)]
        _session().add(warehouse)
        _session().flush()
        point.warehouse_id = warehouse.id
        missing = set(rng.sample(sorted(parts), 4))
        for sku_code, sku in parts.items():
            if sku_code in missing:
                continue
            location = rng.choice(warehouse.locations)
            qty = Decimal(rng.randint(3, 40))
            balances.post(RECEIPT, sku.id, "", location.id, qty, reason="demo: opening stock")


def _shipped_orders() -> dict[int, list[tuple[Order, datetime]]]:
    rows = _session().execute(
        select(Order, OrderStageEvent.at)
        .join(OrderStageEvent, OrderStageEvent.order_id == Order.id)
        .where(OrderStageEvent.to_stage == "shipped")
        .order_by(Order.id)
    )
    by_product: dict[int, list[tuple[Order, datetime]]] = {}
    for order, at in rows:
        by_product.setdefault(order.product_id, []).append((order, at))
    return by_product


def _ticket(number, record, products, customers, shipped, points, users, today, zone, rng) -> ServiceTicket:
    product = products.get(record.model)
    opened = _at(today - timedelta(days=record.days_ago), zone, rng)
    candidates = shipped.get(product.id, []) if product else []
    recent = [(o, at) for o, at in candidates if at < opened]
    if recent and rng.random() < 0.5:  # shipped from this system's order book
        order, shipped_at = rng.choice(recent)
        customer, ship_date = order.customer, plant_date(shipped_at, zone)
    else:  # shipped before the system: the order is in the old ERP
        order, customer = None, rng.choice(customers)
        ship_date = opened.date() - timedelta(days=record.age_days)
    return ServiceTicket(
        number=f"ST-{opened:%Y%m%d}-{number:05d}",
        customer=customer,
        serial=f"SN{ship_date:%y%m}{record.model[-4:]}{number:05d}",
        product=product,
        order=order,
        ship_date=ship_date,
        warranty_months=WARRANTY_MONTHS.get(record.model, 12),
        fault_description=record.description,
        service_point=min(points, key=lambda p: _km(p, customer)) if points else None,
        created_by_id=users["cs"].id,
        created_at=opened,
        updated_at=opened,
    )


def _progress(ticket, record, parts, users, today, zone, rng, still_open: bool) -> None:
    at = ticket.created_at
    steps = [states.ASSIGNED, states.ON_SITE, states.RESOLVED, states.CLOSED]
    if still_open:
        steps = steps[: rng.choice((0, 1, 1, 2))]
    previous = states.OPEN
    ticket.events.append(
        ServiceTicketEvent(from_state=None, to_state=states.OPEN, at=at, user_id=users["cs"].id)
    )
    for state in steps:
        at += timedelta(hours=rng.randint(2, 30))
        if at >= utcnow():  # opened a day or two ago: not that far along yet
            break
        actor = users["service"] if state in (states.ON_SITE, states.RESOLVED) else users["cs"]
        ticket.events.append(ServiceTicketEvent(from_state=previous, to_state=state, at=at, user_id=actor.id))
        previous = state
        if state == states.ASSIGNED:
            ticket.assigned_to_id = users["service"].id
        if state == states.RESOLVED:
            ticket.resolved_at = at
            ticket.diagnosis = "已更换 " + parts[record.part].name
            ticket.parts.append(
                ServicePartUse(
                    sku_id=parts[record.part].id,
                    qty=Decimal(record.qty),
                    service_point_id=ticket.service_point.id if ticket.service_point else None,
                    at=at,
                    user_id=users["service"].id,
                )
            )
        if state == states.CLOSED:
            ticket.closed_at, ticket.rating = at, record.rating
    ticket.state = previous
    ticket.updated_at = at


def _at(day: date, zone: tzinfo, rng: random.Random) -> datetime:
    return from_plant(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))), zone)


def _km(point: ServicePoint, customer: Customer) -> float:
    if customer.lat is None or customer.lon is None:
        return 0.0
    return distance_m(point.lon, point.lat, customer.lon, customer.lat) / 1000
