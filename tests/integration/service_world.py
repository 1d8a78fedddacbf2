"""A small after-sales world for the service tests (not a test module): a customer in Dongguan, a
shipped serial of a router housing, three service points with stocked warehouses at known distances,
a customer-service user and two technicians."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.masterdata import Customer, Location, Product, ServicePoint, Sku, Warehouse
from domain.orders.models import Order
from domain.quality.shipment_service import LineIn, record_shipment
from domain.stock import balances
from domain.transactions import write_transaction
from extensions import db
from tests.conftest import make_user
from tests.integration.stock_world import rectangle

SERIAL = "SN2603RT00042"
ORDER = "SO-20260301-0001"
SHIPPED_ON = date(2026, 3, 15)
PART, OTHER_PART = "SV-CLIP-RT", "SV-FOOT-RT"


@dataclass(frozen=True)
class ServiceWorld:
    customer: str
    product: str
    serial: str
    order: str
    near: str  # service point codes, by distance from the customer
    middle: str
    far: str
    locations: dict[str, list[int]]  # point code → its warehouse's location ids


def _point(code: str, name: str, lat: float, lon: float) -> tuple[ServicePoint, Warehouse]:
    warehouse = Warehouse(
        code=f"WH-{code}", name=f"{name}备件库", fence=rectangle(lon, lat, lon + 0.0004, lat + 0.0003)
    )
    warehouse.locations = [Location(code="SV-01"), Location(code="SV-02")]
    return ServicePoint(code=code, name=name, lat=lat, lon=lon, warehouse=warehouse), warehouse


def build_service_world() -> ServiceWorld:
    customer = Customer(code="C001", name="东莞市华辉电子科技有限公司", lat=22.8290, lon=113.8120)
    product = Product(model="OH-HS-1203", name="路由器上壳")
    finished = Sku(code="OH-HS-1203", name="路由器上壳", kind="finished")
    parts = [
        Sku(code=PART, name="路由器外壳卡扣组件", kind="part"),
        Sku(code=OTHER_PART, name="脚垫", kind="part"),
    ]
    # ~2 km, ~17 km and ~60 km from the customer
    near, near_wh = _point("SP-CA", "长安服务点", 22.8400, 113.8250)
    middle, middle_wh = _point("SP-SZBA", "宝安服务点", 22.6880, 113.8200)
    far, far_wh = _point("SP-GZPY", "番禺服务点", 23.0110, 113.3150)
    db.session.add_all([customer, product, finished, *parts, near, middle, far])
    db.session.flush()
    db.session.add(
        Order(
            number=ORDER,
            customer_id=customer.id,
            product_id=product.id,
            quantity=Decimal(500),
            due_date=date(2026, 3, 20),
            stage="shipped",
        )
    )
    db.session.commit()
    record_shipment(ORDER, SHIPPED_ON, [LineIn(sku="OH-HS-1203", qty=Decimal(1), serials=[SERIAL])], None)
    make_user("cs", ["cs"])
    make_user("tech", ["service"])
    make_user("tech2", ["service"])
    locations = {
        p.code: [loc.id for loc in wh.locations]
        for p, wh in ((near, near_wh), (middle, middle_wh), (far, far_wh))
    }
    return ServiceWorld(
        customer.code, product.model, SERIAL, ORDER, near.code, middle.code, far.code, locations
    )


def stock(location_id: int, sku: str, qty: str) -> None:
    with write_transaction():
        sku_id = db.session.execute(db.select(Sku.id).where(Sku.code == sku)).scalar_one()
        balances.post("receipt", sku_id, "", location_id, Decimal(qty))
