"""A small plant for the quality, trace and kitting tests (not a test module): two fenced warehouses
(from stock_world), a product with a two-line BOM and its finished-goods SKU, a workshop with a team,
customers with orders, and work orders placed directly as production would leave them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.clock import utcnow
from domain.masterdata import BomLine, BomVersion, Customer, Location, Product, Sku, Team, Warehouse, Workshop
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality.lot_service import Scan
from domain.stock.gps_fixes import GpsInput
from extensions import db
from tests.integration.stock_world import YARD_A, YARD_B, gps, label

MODEL = "HX-300"
RESIN, COLOUR = "RES-PC-01", "MB-BLK-01"


@dataclass
class Plant:
    product_id: int
    bom_id: int
    team_id: int
    loc_a: int
    loc_b: int
    customers: dict[str, int] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)
    work_orders: dict[str, int] = field(default_factory=dict)


def build_plant(customers: tuple[str, ...] = ("C-A", "C-B", "C-C", "C-D")) -> Plant:
    product = Product(model=MODEL, name="外壳 HX-300", std_lead_days=15)
    resin = Sku(code=RESIN, name="PC 粒料", unit="kg")
    colour = Sku(code=COLOUR, name="黑色母", unit="kg")
    finished = Sku(code=MODEL, name="外壳 HX-300", unit="pcs", kind="finished")
    a = Warehouse(code="WH-A", name="原料仓", fence=YARD_A)
    b = Warehouse(code="WH-B", name="成品仓", fence=YARD_B)
    loc_a, loc_b = Location(warehouse=a, code="A-01"), Location(warehouse=b, code="B-01")
    shop = Workshop(code="WS-1", name="注塑车间")
    db.session.add_all([product, resin, colour, finished, a, b, loc_a, loc_b, shop])
    db.session.flush()
    team = Team(code="T-1", name="注塑一班", workshop_id=shop.id)
    bom = BomVersion(product_id=product.id, version=1, status="active", locked=True)
    bom.lines = [
        BomLine(sku_id=resin.id, qty_per=Decimal("0.05"), scrap_pct=Decimal(2)),
        BomLine(sku_id=colour.id, qty_per=Decimal("0.001")),
    ]
    db.session.add_all([team, bom])
    db.session.flush()
    plant = Plant(product.id, bom.id, team.id, loc_a.id, loc_b.id)
    for code in customers:
        customer = Customer(code=code, name=f"客户 {code}")
        db.session.add(customer)
        db.session.flush()
        plant.customers[code] = customer.id
    db.session.commit()
    return plant


def add_order(plant: Plant, customer: str, number: str, stage: str = "in_production", qty: int = 1000) -> int:
    order = Order(
        number=number,
        customer_id=plant.customers[customer],
        product_id=plant.product_id,
        quantity=Decimal(qty),
        due_date=date(2026, 12, 31),
        stage=stage,
    )
    db.session.add(order)
    db.session.commit()
    plant.orders[number] = order.id
    return order.id


def add_work_order(
    plant: Plant,
    order: str,
    number: str,
    qty: int = 1000,
    starts_in_days: float | None = 2,
    status: str = "released",
) -> int:
    start: datetime | None = None if starts_in_days is None else utcnow() + timedelta(days=starts_in_days)
    work_order = WorkOrder(
        number=number,
        order_id=plant.orders[order],
        product_id=plant.product_id,
        bom_version_id=plant.bom_id,
        quantity=Decimal(qty),
        team_id=plant.team_id,
        status=status,
        planned_start=start,
        planned_end=None if start is None else start + timedelta(days=1),
    )
    db.session.add(work_order)
    db.session.commit()
    plant.work_orders[number] = work_order.id
    return work_order.id


def scan_a(plant: Plant) -> Scan:
    fix = gps(YARD_A)
    return Scan(label(plant.loc_a), GpsInput(fix["lat"], fix["lon"], fix["accuracy"]))


def scan_b(plant: Plant) -> Scan:
    fix = gps(YARD_B)
    return Scan(label(plant.loc_b), GpsInput(fix["lat"], fix["lon"], fix["accuracy"]))
