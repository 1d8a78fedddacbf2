"""A small Dongguan plant for the stock tests (not a test module): two fenced warehouses about 1 km
apart, locations with signed labels, one SKU and one sales order."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.masterdata import BomVersion, Customer, Location, Product, Sku, Team, Warehouse, Workshop
from domain.orders.models import Order
from domain.production.models import WorkOrder
from domain.quality.inspections import FINAL, Inspection
from domain.stock import balances
from domain.transactions import write_transaction
from extensions import db
from geofence.metric import metres_per_degree
from scanning.label_signing import current_key, location_label_url

ORDER = "SO-2026-0001"
SKU = "RES-ABS-01"
PRODUCT = "HX-200"  # the model the sales order is for


def rectangle(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# Two yards in Dongguan's Nancheng district, ~200 × 170 m each, 1 km apart east-west.
YARD_A = rectangle(113.7500, 23.0200, 113.7520, 23.0215)
YARD_B = rectangle(113.7600, 23.0200, 113.7620, 23.0215)


@dataclass(frozen=True)
class World:
    sku: str
    order: str
    a: str  # warehouse codes
    b: str
    loc_a: int  # location ids
    loc_a2: int
    loc_b: int


def build_world(*, capacity_b: str = "0", safety_stock: str = "0", stock_a: str = "0") -> World:
    customer = Customer(code="C-DG-01", name="东莞精密塑胶")
    product = Product(model=PRODUCT, name="外壳 HX-200")
    sku = Sku(code=SKU, name="ABS 粒料", unit="kg", safety_stock=Decimal(safety_stock))
    a = Warehouse(code="WH-A", name="原料仓", fence=YARD_A)
    b = Warehouse(code="WH-B", name="成品仓", fence=YARD_B, capacity=Decimal(capacity_b))
    locations = [
        Location(warehouse=a, code="A-01"),
        Location(warehouse=a, code="A-02"),
        Location(warehouse=b, code="B-01"),
    ]
    db.session.add_all([customer, product, sku, a, b, *locations])
    db.session.flush()
    db.session.add(
        Order(
            number=ORDER,
            customer_id=customer.id,
            product_id=product.id,
            quantity=Decimal(1000),
            due_date=date(2026, 12, 31),
        )
    )
    db.session.commit()
    world = World(SKU, ORDER, "WH-A", "WH-B", *(loc.id for loc in locations))
    if Decimal(stock_a):
        put_stock(world.loc_a, stock_a)
    return world


def put_stock(location_id: int, qty: str, sku_code: str = SKU, lot: str = "") -> None:
    """Stock already on the shelf before the test (as if received earlier), through the ledger."""
    with write_transaction():
        sku_id = db.session.execute(db.select(Sku.id).where(Sku.code == sku_code)).scalar_one()
        balances.post("receipt", sku_id, lot, location_id, Decimal(qty))


def add_work_order(number: str, good_qty: str = "0", final_passed_by: int | None = None) -> None:
    """A work order of the world's sales order (with the workshop, team and BOM it needs); with
    `final_passed_by` (a user id) its final inspection passed, so its good output may ship."""
    order = db.session.execute(db.select(Order).where(Order.number == ORDER)).scalar_one()
    shop = Workshop(code="WS-1", name="注塑车间")
    db.session.add(shop)
    db.session.flush()
    team = Team(code="T-1", name="注塑一班", workshop_id=shop.id)
    bom = BomVersion(product_id=order.product_id, version=1, status="active", locked=True)
    db.session.add_all([team, bom])
    db.session.flush()
    work_order = WorkOrder(
        number=number,
        order_id=order.id,
        product_id=order.product_id,
        bom_version_id=bom.id,
        quantity=Decimal(1000),
        team_id=team.id,
        good_qty=Decimal(good_qty),
    )
    db.session.add(work_order)
    db.session.flush()
    if final_passed_by is not None:
        db.session.add(
            Inspection(work_order_id=work_order.id, kind=FINAL, passed=True, inspector_id=final_passed_by)
        )
    db.session.commit()


def add_finished_stock(location_id: int, qty: str) -> None:
    """The order's product as a finished-goods SKU (same code as the model), on the shelf."""
    db.session.add(Sku(code=PRODUCT, name="外壳 HX-200", unit="pcs", kind="finished"))
    db.session.commit()
    put_stock(location_id, qty, sku_code=PRODUCT)


def label(location_id: int, base: str = "https://oh.example.cn") -> str:
    return location_label_url(base, current_key(), location_id)


def centre(yard: dict) -> tuple[float, float]:
    ring = yard["coordinates"][0]
    return (ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2


def gps(yard: dict, accuracy: float = 8.0, east_m: float = 0.0, north_m: float = 0.0, **extra) -> dict:
    """A fix at the yard's centre, shifted by metres east/north."""
    lon, lat = centre(yard)
    per_lon, per_lat = metres_per_degree(lat)
    return {"lat": lat + north_m / per_lat, "lon": lon + east_m / per_lon, "accuracy": accuracy, **extra}
