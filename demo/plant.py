"""`flask seed-demo`: fills an empty database with the demo plant in one transaction, or refuses."""

import random
from dataclasses import dataclass, field
from datetime import date, tzinfo
from decimal import Decimal

from sqlalchemy import func, inspect, select
from werkzeug.security import generate_password_hash

from demo.adoption import seed_adoption
from demo.catalogue import (
    COLOURS,
    CUSTOMERS,
    FINISHED_PER_PALLET,
    NATURAL,
    PEOPLE,
    PRODUCTS,
    SERVICE_POINTS,
    SKU_COLOURS,
    SKUS,
    TEAMS,
    WAREHOUSES,
    WORKSHOPS,
    ProductSpec,
    WarehouseSpec,
)
from demo.changes import seed_changes
from demo.engineering import bom_lines, footprint, routing, unit_cost, unit_price
from demo.orders import STOP_REASONS, CustomerPick, OrderPlan, plan_orders
from demo.production import seed_production
from demo.quality import seed_quality
from demo.service import seed_service
from domain import audit
from domain.errors import DomainError
from domain.masterdata import (
    AppMeta,
    BomLine,
    BomVersion,
    Customer,
    Location,
    PriceListEntry,
    Product,
    RoutingStep,
    ServicePoint,
    Sku,
    Team,
    Warehouse,
    Workshop,
)
from domain.orders.models import Order, OrderStageEvent
from domain.service.tickets import ServicePartUse, ServiceTicket
from domain.stage_machine import ON_HOLD
from domain.stock.handling_units import PALLET
from domain.stock.ledger import StockMove
from domain.users import User
from extensions import db

MARKER = "demo_plant"
VERSION = "1"
SEED = 20_240_601  # the same plant every time; only the dates follow today
PASSWORD = "demo"
WRITTEN = (
    User, Workshop, Team, Warehouse, Location, ServicePoint, Sku, Product, RoutingStep, BomVersion, BomLine,
    Customer, PriceListEntry, Order, OrderStageEvent, AppMeta, ServiceTicket, ServicePartUse, StockMove,
)  # fmt: skip
# Rows in any of these mean someone's real plant is here (the demo writes all of them).
PLANT_DATA = (User, Customer, Product, Sku, Warehouse, Workshop, Team, ServicePoint, Order)


@dataclass
class SeedResult:
    created: bool
    version: str
    counts: dict[str, int] = field(default_factory=dict)


def seed_demo_plant(today: date, zone: tzinfo) -> SeedResult:
    """Create the demo plant dated around `today` (plant time `zone`); a second run changes nothing.
    Refuses (DomainError) when the tables are missing or the database holds anything but the demo.

    CLI messages are plain English: the command runs outside a request, where there is no locale."""
    _check_tables()
    marker = db.session.get(AppMeta, MARKER)
    if marker is not None:  # whatever was added to the demo since is the demo owner's business
        return SeedResult(created=False, version=marker.value)
    _refuse_foreign_data()
    try:
        _build(today, zone, random.Random(SEED))
        db.session.add(AppMeta(key=MARKER, value=VERSION))
        audit.record("seed_demo", "app_meta", MARKER, {"value": [None, VERSION]})
        db.session.flush()
        counts = plant_counts()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return SeedResult(created=True, version=VERSION, counts=counts)


def plant_counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in WRITTEN
    }


# ---- refusals ----


def _check_tables() -> None:
    existing = set(inspect(db.engine).get_table_names())
    missing = sorted(model.__tablename__ for model in WRITTEN if model.__tablename__ not in existing)
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise DomainError(
            "demo_tables_missing",
            f"The database lacks {len(missing)} tables ({shown}): run `flask --app app db upgrade` first.",
        )


def _refuse_foreign_data() -> None:
    real_user = db.session.execute(select(User.username).where(User.is_demo.is_(False)).limit(1)).scalar()
    if real_user is not None:
        raise DomainError(
            "demo_refused",
            f"This database holds real data (user {real_user!r} is not a demo user); "
            "the demo plant is only seeded into an empty database. Nothing was written.",
        )
    for model in PLANT_DATA:
        if db.session.execute(select(model.id).limit(1)).first() is not None:
            raise DomainError(
                "demo_refused",
                f"This database already holds {model.__tablename__} rows but no demo plant; "
                "the demo plant is only seeded into an empty database. Nothing was written.",
            )


# ---- building ----


def _build(today: date, zone: tzinfo, rng: random.Random) -> None:
    users = _users()
    _plant(users)
    skus = _skus()
    products = _products(skus)
    customers = _customers()
    picks = [CustomerPick(code, purchase, blocked) for code, _, _, _, _, purchase, blocked in CUSTOMERS]
    plans = plan_orders(picks, PRODUCTS, today, zone, rng)
    prices = _prices(plans, customers, products, rng)
    db.session.add_all(_order(plan, customers, products, prices, users) for plan in plans)
    db.session.flush()
    seed_service(today, zone, random.Random(SEED + 9), users)  # after-sales history: demo_service.py
    seed_adoption(zone, random.Random(SEED + 10))  # the submission log behind entry-error points
    seed_production(today, zone, users)  # machines, work orders, task cards: demo_production.py
    seed_quality(today, zone, users)  # checklists, inspections, lots, shipments: demo_quality.py
    seed_changes(today, zone, random.Random(SEED + 11), users)  # change notices: demo_changes.py


def _users() -> dict[str, User]:
    """One hash for all: werkzeug's scrypt takes ~50 ms per call, and every demo password is the same."""
    password_hash = generate_password_hash(PASSWORD)
    users = {}
    for person in PEOPLE:
        user = User(username=person.username, display_name=person.display_name, password_hash=password_hash)
        user.is_demo, user.locale, user.active = True, None, True
        user.set_roles(person.roles)
        users[person.username] = user
    db.session.add_all(users.values())
    db.session.flush()  # ids for teams' leaders and the stage events
    return users


def _plant(users: dict[str, User]) -> None:
    workshops = {code: Workshop(code=code, name=name) for code, name in WORKSHOPS}
    teams = [
        Team(code=code, name=name, workshop=workshops[shop], leader=users[leader])
        for code, name, shop, leader in TEAMS
    ]
    db.session.add_all([*workshops.values(), *teams])
    db.session.flush()
    for team, (*_, leader) in zip(teams, TEAMS, strict=True):
        users[leader].team_id = team.id
    warehouses = {spec.code: _warehouse(spec) for spec in WAREHOUSES}
    db.session.add_all(warehouses.values())
    db.session.add_all(
        ServicePoint(code=code, name=name, address=address, lat=lat, lon=lon)
        for code, name, address, lat, lon in SERVICE_POINTS
    )


def _warehouse(spec: WarehouseSpec) -> Warehouse:
    warehouse = Warehouse(
        code=spec.code,
        name=spec.name,
        address=spec.address,
        # Already in parse_fence's normal form (a unit test proves it): parse_fence itself translates
        # its ring names eagerly, and a CLI command has no request to pick a locale from.
        fence=footprint(spec.origin, spec.corners_m, spec.bearing_deg),
        capacity=Decimal(spec.capacity),
        handling_unit=PALLET,
    )
    warehouse.locations = [
        Location(code=f"{zone}-{rack:02d}-{level:02d}", name=f"{zone_name} {rack} 排 {level} 层")
        for zone, zone_name, racks, levels in spec.zones
        for rack in range(1, racks + 1)
        for level in range(1, levels + 1)
    ]
    return warehouse


def _skus() -> dict[str, Sku]:
    skus = {
        s.code: Sku(
            code=s.code,
            name=s.name,
            unit=s.unit,
            kind=s.kind,
            safety_stock=Decimal(s.safety_stock),
            units_per_handling_unit=Decimal(s.per_pallet),
            colour=SKU_COLOURS.get(s.code),
        )
        for s in SKUS
    }
    # Each product is also a finished-goods SKU (same code) so the finished-goods warehouse can hold it.
    for p in PRODUCTS:
        skus[p.model] = Sku(
            code=p.model,
            name=p.name,
            unit="pcs",
            kind="finished",
            safety_stock=Decimal(0),
            units_per_handling_unit=Decimal(FINISHED_PER_PALLET),
        )
    db.session.add_all(skus.values())
    return skus


def _products(skus: dict[str, Sku]) -> dict[str, Product]:
    workshops = {w.code: w for w in db.session.execute(select(Workshop)).scalars()}
    products = {}
    for spec in PRODUCTS:
        product = _product(spec)
        product.routing = [
            RoutingStep(
                seq=s.seq,
                name=s.name,
                workshop=workshops[s.workshop],
                setup_minutes=s.setup_minutes,
                seconds_per_unit=s.seconds_per_unit,
            )
            for s in routing(spec)
        ]
        bom = BomVersion(product=product, version=1, status="active")
        bom.lines = [
            BomLine(sku=skus[line.sku], qty_per=line.qty_per, scrap_pct=line.scrap_pct)
            for line in bom_lines(spec)
        ]
        db.session.add_all([product, bom])
        products[spec.model] = product
    return products


def _product(spec: ProductSpec) -> Product:
    cavities = f"1 出 {spec.cavities}"
    return Product(
        model=spec.model,
        name=spec.name,
        std_lead_days=spec.lead_days,
        mold=f"MD-{spec.model[3:]} ({cavities})",
        colorant=COLOURS[spec.colour][1] if spec.colour else NATURAL,
    )


def _customers() -> dict[str, Customer]:
    customers = {
        code: Customer(
            code=code,
            name=name,
            address=address,
            lat=lat,
            lon=lon,
            purchase_12m=Decimal(purchase),
            blocked=blocked,
        )
        for code, name, address, lat, lon, purchase, blocked in CUSTOMERS
    }
    db.session.add_all(customers.values())
    return customers


def _prices(
    plans: list[OrderPlan], customers: dict[str, Customer], products: dict[str, Product], rng: random.Random
) -> dict[tuple[str, str], PriceListEntry]:
    """A price for every (customer, model) pair ordered; the three biggest customers squeeze margins."""
    big = {code for code, *_ in CUSTOMERS[:3]}
    costs = {spec.model: unit_cost(spec) for spec in PRODUCTS}
    prices = {}
    for pair in sorted({(plan.customer, plan.product) for plan in plans}):
        customer, model = pair
        low, high = (0.035, 0.16) if customer in big else (0.06, 0.295)
        margin = Decimal(str(round(rng.uniform(low, high), 4)))
        prices[pair] = PriceListEntry(
            customer=customers[customer],
            product=products[model],
            unit_price=unit_price(costs[model], margin),
            unit_cost=costs[model],
        )
    db.session.add_all(prices.values())
    return prices


def _order(
    plan: OrderPlan,
    customers: dict[str, Customer],
    products: dict[str, Product],
    prices: dict[tuple[str, str], PriceListEntry],
    users: dict[str, User],
) -> Order:
    return Order(
        number=plan.number,
        customer=customers[plan.customer],
        product=products[plan.product],
        quantity=Decimal(plan.quantity),
        unit_price=prices[plan.customer, plan.product].unit_price,
        due_date=plan.due,
        priority=plan.priority,
        stage=plan.stage,
        flame_grade=plan.flame_grade,
        packaging=plan.packaging,
        color_notes=plan.color_notes,
        original_ref=plan.original_ref,
        created_by_id=users["sales"].id,
        created_at=plan.created_at,
        updated_at=plan.events[-1].at,
        held_from=plan.events[-1].from_stage if plan.stage == ON_HOLD else None,
        stop_reason=_stop_reason(plan),
        stage_events=[
            OrderStageEvent(
                from_stage=ev.from_stage,
                to_stage=ev.to_stage,
                at=ev.at,
                user_id=users[ev.username].id,
                reason=_stop_reason(plan) if ev.to_stage in STOP_REASONS else None,
            )
            for ev in plan.events
        ],
    )


def _stop_reason(plan: OrderPlan) -> str | None:
    reasons = STOP_REASONS.get(plan.stage)
    return reasons[sum(map(ord, plan.number)) % len(reasons)] if reasons else None
