"""The simple master-data entities, each described once; the service, the admin pages and the API
read these descriptions instead of being written out per entity."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.masterdata import (
    Customer,
    Location,
    PriceListEntry,
    Product,
    ServicePoint,
    Sku,
    Team,
    Warehouse,
    Workshop,
)
from domain.masterdata_admin import schemas
from domain.users import User


@dataclass(frozen=True)
class Entity:
    kind: str  # URL segment: /admin/<kind>/ and /api/v1/<kind>
    name: str  # audit log entity name
    model: type
    schema: type[ma.Schema]
    plural: Any
    singular: Any
    unique: tuple[str, ...]  # fields whose values identify one row among all (case-insensitive for text)
    duplicate_field: str  # the field a duplicate is reported on
    search: tuple[Any, ...]  # columns ?q= looks in
    sorts: dict[str, tuple[Any, Any]]  # sort key → (label, column); the first is the default
    title: Callable[[Any], str]  # one line naming a row
    detail: Callable[[Any], str] = lambda _row: ""  # a second, quieter line
    joins: tuple[Any, ...] = ()  # relationships joined so `search`/`sorts` may use their columns
    eager: tuple[Any, ...] = field(default_factory=tuple)  # relationships loaded with a page of rows

    @property
    def references(self) -> dict[str, Any]:
        """The schema's Reference fields by name (foreign keys the service checks)."""
        from domain.masterdata_admin.fields import Reference

        return {n: f for n, f in self.schema().fields.items() if isinstance(f, Reference)}


def _code_name(row: Any) -> str:
    return f"{row.code} · {row.name}"


def _number(value: Any) -> str:
    return schemas.decimal_text(value)


def _price_detail(p: PriceListEntry) -> str:
    return _(
        "%(price)s %(currency)s, cost %(cost)s",
        price=_number(p.unit_price),
        currency=p.currency,
        cost=_number(p.unit_cost),
    )


def _team_detail(t: Team) -> str:
    leader = t.leader.display_name or t.leader.username if t.leader else _("no leader")
    return f"{t.workshop.code} · {leader}"


def _code_name_sorts(model: type) -> dict[str, tuple[Any, Any]]:
    return {"code": (_l("Code"), model.code), "name": (_l("Name"), model.name)}


ENTITIES: dict[str, Entity] = {
    e.kind: e
    for e in (
        Entity(
            "customers",
            "customer",
            Customer,
            schemas.CustomerIn,
            _l("Customers"),
            _l("customer"),
            unique=("code",),
            duplicate_field="code",
            search=(Customer.code, Customer.name, Customer.address),
            sorts=_code_name_sorts(Customer),
            title=_code_name,
            detail=lambda c: " · ".join(
                part for part in (_("Blocked") if c.blocked else "", c.address) if part
            ),
        ),
        Entity(
            "products",
            "product",
            Product,
            schemas.ProductIn,
            _l("Products"),
            _l("product"),
            unique=("model",),
            duplicate_field="model",
            search=(Product.model, Product.name, Product.mold),
            sorts={"code": (_l("Model"), Product.model), "name": (_l("Name"), Product.name)},
            title=lambda p: f"{p.model} · {p.name}",
            detail=lambda p: (
                _("Lead time %(n)s days", n=p.std_lead_days) + (f" · {p.mold}" if p.mold else "")
            ),
        ),
        Entity(
            "prices",
            "price_list_entry",
            PriceListEntry,
            schemas.PriceListEntryIn,
            _l("Price list"),
            _l("price"),
            unique=("customer_id", "product_id"),
            duplicate_field="product_id",
            search=(Customer.code, Customer.name, Product.model, Product.name),
            sorts={"code": (_l("Customer"), Customer.code), "name": (_l("Product"), Product.model)},
            title=lambda p: f"{p.customer.code} × {p.product.model}",
            detail=_price_detail,
            joins=(PriceListEntry.customer, PriceListEntry.product),
            eager=(PriceListEntry.customer, PriceListEntry.product),
        ),
        Entity(
            "skus",
            "sku",
            Sku,
            schemas.SkuIn,
            _l("SKUs"),
            _l("SKU"),
            unique=("code",),
            duplicate_field="code",
            search=(Sku.code, Sku.name),
            sorts=_code_name_sorts(Sku),
            title=_code_name,
            detail=lambda s: _(
                "%(kind)s, safety stock %(qty)s %(unit)s",
                kind=s.kind,
                qty=_number(s.safety_stock),
                unit=s.unit,
            ),
        ),
        Entity(
            "workshops",
            "workshop",
            Workshop,
            schemas.WorkshopIn,
            _l("Workshops"),
            _l("workshop"),
            unique=("code",),
            duplicate_field="code",
            search=(Workshop.code, Workshop.name),
            sorts=_code_name_sorts(Workshop),
            title=_code_name,
        ),
        Entity(
            "teams",
            "team",
            Team,
            schemas.TeamIn,
            _l("Teams"),
            _l("team"),
            unique=("code",),
            duplicate_field="code",
            search=(Team.code, Team.name),
            sorts=_code_name_sorts(Team),
            title=_code_name,
            detail=_team_detail,
            eager=(Team.workshop, Team.leader),
        ),
        Entity(
            "locations",
            "location",
            Location,
            schemas.LocationIn,
            _l("Locations"),
            _l("location"),
            unique=("warehouse_id", "code"),
            duplicate_field="code",
            search=(Location.code, Location.name, Warehouse.code),
            sorts={"code": (_l("Code"), Location.code), "name": (_l("Name"), Location.name)},
            title=lambda loc: f"{loc.warehouse.code} / {loc.code}",
            detail=lambda loc: loc.name,
            joins=(Location.warehouse,),
            eager=(Location.warehouse,),
        ),
        Entity(
            "service-points",
            "service_point",
            ServicePoint,
            schemas.ServicePointIn,
            _l("Service points"),
            _l("service point"),
            unique=("code",),
            duplicate_field="code",
            search=(ServicePoint.code, ServicePoint.name, ServicePoint.address),
            sorts=_code_name_sorts(ServicePoint),
            title=_code_name,
            detail=lambda sp: sp.address,
        ),
    )
}

# Rows other entities point at but that are administered elsewhere (warehouses, users) are named
# the same way in pick lists: key · name.
REFERENCE_LABELS: dict[type, Callable[[Any], str]] = {
    Customer: _code_name,
    Product: lambda p: f"{p.model} · {p.name}",
    Warehouse: _code_name,
    Workshop: _code_name,
    User: lambda u: (
        f"{u.username} · {u.display_name}" if u.display_name not in ("", u.username) else u.username
    ),
}
REFERENCE_ORDER: dict[type, Any] = {
    Customer: Customer.code,
    Product: Product.model,
    Warehouse: Warehouse.code,
    Workshop: Workshop.code,
    User: User.username,
}
