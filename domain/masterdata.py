"""Master data (DESIGN §2): customers, products, prices, BOMs, routings, plant structure, SKUs."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, event, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.clock import utcnow
from domain.search_text import search_key
from extensions import db

Money = Numeric(14, 4)
Qty = Numeric(14, 3)


class Customer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    blocked: Mapped[bool] = mapped_column(default=False)
    purchase_12m: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # code, name and the name's pinyin (full and initials), lower case: what the order search matches
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")


@event.listens_for(Customer, "before_insert")
@event.listens_for(Customer, "before_update")
def _customer_search_key(_mapper: Any, _connection: Any, customer: Customer) -> None:
    customer.search_key = search_key(customer.code, customer.name)


class Product(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    std_lead_days: Mapped[int] = mapped_column(default=15)
    mold: Mapped[str] = mapped_column(String(64), default="")
    colorant: Mapped[str] = mapped_column(String(64), default="")
    # First article (首件, DESIGN §7): good pieces a work order may report before a first-article
    # inspection of it has passed; off for parts that need none.
    needs_first_article: Mapped[bool] = mapped_column(default=True, server_default=true())
    first_article_qty: Mapped[int] = mapped_column(default=5, server_default=text("5"))
    active: Mapped[bool] = mapped_column(default=True)
    routing: Mapped[list["RoutingStep"]] = relationship(
        order_by="RoutingStep.seq", cascade="all, delete-orphan", back_populates="product"
    )


class PriceListEntry(db.Model):
    __table_args__ = (UniqueConstraint("customer_id", "product_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    active: Mapped[bool] = mapped_column(default=True)
    customer: Mapped[Customer] = relationship()
    product: Mapped[Product] = relationship()


class Sku(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    kind: Mapped[str] = mapped_column(String(16), default="material")  # material | part | finished
    safety_stock: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))
    # How many of `unit` fill one handling unit (pallet position or m³) of warehouse capacity, e.g.
    # 1000 kg of resin per pallet position: capacity adds handling units, never kg and pcs.
    units_per_handling_unit: Mapped[Decimal] = mapped_column(Qty, default=Decimal(1), server_default="1")
    active: Mapped[bool] = mapped_column(default=True)
    # The colour a colour-specific material (masterbatch, paint) gives, as words a customer's colour
    # notes use ("灰色|Cool Gray"): a spec change of colour swaps it for the SKU of the new colour.
    colour: Mapped[str | None] = mapped_column(String(100))


class BomVersion(db.Model):
    """A product's bill of materials. Once `locked` (used by a work order) it never changes again;
    an edit then means a new version."""

    __table_args__ = (
        UniqueConstraint("product_id", "version"),
        # At most one active version per product, guaranteed by the database even under concurrent clicks.
        Index(
            "uq_bom_version_one_active",
            "product_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | active | retired
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    product: Mapped[Product] = relationship()
    lines: Mapped[list["BomLine"]] = relationship(
        cascade="all, delete-orphan", back_populates="bom", order_by="BomLine.id"
    )


class BomLine(db.Model):
    __table_args__ = (UniqueConstraint("bom_id", "sku_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bom_id: Mapped[int] = mapped_column(ForeignKey("bom_version.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("sku.id"))
    qty_per: Mapped[Decimal] = mapped_column(Qty)
    scrap_pct: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal(0))
    bom: Mapped[BomVersion] = relationship(back_populates="lines")
    sku: Mapped[Sku] = relationship()


class Workshop(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


class RoutingStep(db.Model):
    """One operation of a product's routing, done in one workshop; `seq` orders them."""

    __table_args__ = (UniqueConstraint("product_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    setup_minutes: Mapped[int] = mapped_column(default=0)
    seconds_per_unit: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    # After the step before it ends: moving, cooling, drying — the scheduler keeps this gap.
    transfer_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    # The press this step needs at least (clamping force, t); None: any machine of the workshop.
    min_tonnage: Mapped[int | None]
    product: Mapped[Product] = relationship(back_populates="routing")
    workshop: Mapped[Workshop] = relationship()


class Team(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # The key of the team's 企业微信 group robot (群机器人 webhook): its cards go to the group too.
    wecom_robot_key: Mapped[str | None] = mapped_column(String(100))
    workshop: Mapped[Workshop] = relationship()
    leader: Mapped[Any] = relationship("User", foreign_keys=[leader_id])


class Warehouse(db.Model):
    """`fence` is a GeoJSON Polygon in lon/lat (WGS 84); geofence/ turns it into a metric shape."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    fence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # In `handling_unit`s (domain/stock/handling_units.py); 0 = not limited.
    capacity: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))
    handling_unit: Mapped[str] = mapped_column(
        String(16), default="pallet", server_default="pallet"
    )  # pallet | m3
    active: Mapped[bool] = mapped_column(default=True)
    locations: Mapped[list["Location"]] = relationship(back_populates="warehouse", order_by="Location.code")


class Location(db.Model):
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouse.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(default=True)
    warehouse: Mapped[Warehouse] = relationship(back_populates="locations")


class ServicePoint(db.Model):
    """An after-sales service point; its spare parts are stock in its own warehouse."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float]
    lon: Mapped[float]
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouse.id"))
    active: Mapped[bool] = mapped_column(default=True)
    warehouse: Mapped[Warehouse | None] = relationship()


class AppMeta(db.Model):
    """Small key/value facts about this database (e.g. that it holds the demo plant)."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
