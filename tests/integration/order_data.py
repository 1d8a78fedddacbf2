"""Master data for the order tests: customers, products with BOMs and routings, prices, stock-free."""

from datetime import timedelta
from decimal import Decimal

from domain.masterdata import (
    BomLine,
    BomVersion,
    Customer,
    PriceListEntry,
    Product,
    RoutingStep,
    Sku,
    Team,
    Workshop,
)
from domain.orders.models import Order, OrderStageEvent
from domain.orders.service import plant_today
from extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def customer(code: str = "C001", purchase: int = 1000, blocked: bool = False) -> Customer:
    row = Customer(code=code, name=f"客户 {code}", purchase_12m=Decimal(purchase), blocked=blocked)
    db.session.add(row)
    db.session.commit()
    return row


def workshop(code: str = "W1") -> Workshop:
    row = db.session.execute(db.select(Workshop).where(Workshop.code == code)).scalar_one_or_none()
    if row is None:
        row = Workshop(code=code, name=f"车间 {code}")
        db.session.add(row)
        db.session.commit()
    return row


def product(
    model: str = "P-100",
    active_bom: bool = True,
    mold: str = "M1",
    colorant: str = "black",
    lead_days: int = 15,
    workshop_code: str = "W1",
    seconds_per_unit: str = "36",
) -> Product:
    row = Product(model=model, name=f"产品 {model}", std_lead_days=lead_days, mold=mold, colorant=colorant)
    sku = Sku(code=f"RES-{model}", name="PC resin", unit="kg")
    db.session.add_all([row, sku])
    db.session.flush()
    bom = BomVersion(product_id=row.id, version=1, status="active" if active_bom else "draft")
    bom.lines = [BomLine(sku_id=sku.id, qty_per=Decimal("0.2"))]
    step = RoutingStep(
        product_id=row.id,
        seq=1,
        name="Injection molding",
        workshop_id=workshop(workshop_code).id,
        setup_minutes=60,
        seconds_per_unit=Decimal(seconds_per_unit),
    )
    db.session.add_all([bom, step])
    db.session.commit()
    return row


def team_with_leader(leader_id: int, workshop_code: str = "W1") -> Team:
    team = Team(code=f"T-{workshop_code}-{leader_id}", name="一班", workshop_id=workshop(workshop_code).id)
    team.leader_id = leader_id
    db.session.add(team)
    db.session.commit()
    return team


def price(cust: Customer, prod: Product, unit_price: str = "10", unit_cost: str = "8") -> PriceListEntry:
    row = PriceListEntry(
        customer_id=cust.id, product_id=prod.id, unit_price=Decimal(unit_price), unit_cost=Decimal(unit_cost)
    )
    db.session.add(row)
    db.session.commit()
    return row


def order_in_stage(
    cust: Customer,
    prod: Product,
    stage: str,
    *,
    number: str,
    due_in: int = 30,
    quantity: int = 1000,
    priority: str = "B",
    created_by_id: int | None = None,
    unit_price: str | None = "10",
) -> Order:
    """An order placed directly in a stage, as the demo data and earlier stages would leave it."""
    row = Order(
        number=number,
        customer_id=cust.id,
        product_id=prod.id,
        quantity=Decimal(quantity),
        unit_price=None if unit_price is None else Decimal(unit_price),
        due_date=plant_today() + timedelta(days=due_in),
        priority=priority,
        stage=stage,
        flame_grade="V-0",
        packaging="carton",
        created_by_id=created_by_id,
    )
    row.stage_events.append(OrderStageEvent(from_stage=None, to_stage=stage))
    db.session.add(row)
    db.session.commit()
    return row


def days_from_today(days: int) -> str:
    return (plant_today() + timedelta(days=days)).isoformat()


def yesterday() -> str:
    return (plant_today() - timedelta(days=1)).isoformat()
