"""Warehouses (DESIGN §2, §6): code, name, address, capacity and the geofence polygon."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from domain import audit
from domain.errors import DomainError, NotFound, leaf_refusals
from domain.masterdata import Warehouse
from domain.search_text import contains
from domain.transactions import unit_of_work
from extensions import db
from geofence.fences import fence_feature, parse_fence

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}$")  # printed on labels and typed on phones
MAX_CAPACITY = Decimal("1e11")  # Warehouse.capacity is Numeric(14, 3)
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class WarehouseInput:
    code: str
    name: str
    address: str = ""
    capacity: Any = Decimal(0)
    active: bool = True


# ---- rules ----


def warehouse_problems(data: WarehouseInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not CODE.match((data.code or "").strip()):
        problems["code"] = _(
            "1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit."
        )
    name = (data.name or "").strip()
    if not name:
        problems["name"] = _("Name the warehouse.")
    elif len(name) > 100:
        problems["name"] = _("At most %(n)s characters.", n=100)
    if len((data.address or "").strip()) > 300:
        problems["address"] = _("At most %(n)s characters.", n=300)
    capacity = _capacity(data.capacity)
    if capacity is None or not 0 <= capacity < MAX_CAPACITY:
        problems["capacity"] = _("Enter 0 (no limit) or a positive number of units.")
    elif capacity != capacity.quantize(Decimal("0.001")):
        problems["capacity"] = _("Use at most %(n)s decimal places.", n=3)
    return problems


def _capacity(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or not str(value).strip():
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# ---- queries ----


def warehouse_page(q: str = "", active: bool | None = None, page: int = 1, per_page: int = 25) -> Pagination:
    """Warehouses by code; `q` looks in code, name and address; `active` None means both."""
    stmt = db.select(Warehouse)
    if active is not None:
        stmt = stmt.where(Warehouse.active.is_(active))
    if q.strip():
        stmt = stmt.where(contains(q.strip(), Warehouse.code, Warehouse.name, Warehouse.address))
    stmt = stmt.order_by(Warehouse.code, Warehouse.id)
    return db.paginate(stmt, page=max(page, 1), per_page=min(max(per_page, 1), MAX_PER_PAGE), error_out=False)


def get_warehouse(warehouse_id: int) -> Warehouse:
    warehouse = db.session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise NotFound(_("Warehouse"), warehouse_id)
    return warehouse


def fence_geojson(warehouse: Warehouse) -> dict[str, Any]:
    """The fence as a GeoJSON Feature with the warehouse's code and name (null geometry when unset)."""
    return fence_feature(warehouse.fence, {"code": warehouse.code, "name": warehouse.name})


def snapshot(warehouse: Warehouse) -> dict[str, Any]:
    return {
        "code": warehouse.code,
        "name": warehouse.name,
        "address": warehouse.address,
        "capacity": format(Decimal(str(warehouse.capacity or 0)).normalize(), "f"),
        "active": warehouse.active,
        "fence": warehouse.fence,
    }


# ---- services: each owns its transaction and audits it ----


@unit_of_work
def create_warehouse(data: WarehouseInput, fence_source: Any, actor: Any) -> Warehouse:
    """A new warehouse; `fence_source` (GeoJSON text or dict, or None) is validated with the rest."""
    problems = warehouse_problems(data)
    if not problems.get("code") and _code_taken(data.code.strip()):
        problems["code"] = _("A warehouse with this code exists.")
    _raise(problems)
    warehouse = Warehouse(fence=_fence(fence_source))
    _apply(warehouse, data)
    db.session.add(warehouse)
    db.session.flush()
    audit.record(
        "warehouse_create", "warehouse", warehouse.id, audit.diff({}, snapshot(warehouse)), actor=actor
    )
    return warehouse


@unit_of_work
def update_warehouse(warehouse_id: int, data: WarehouseInput, actor: Any) -> Warehouse:
    warehouse = get_warehouse(warehouse_id)
    problems = warehouse_problems(data)
    if not problems.get("code") and _code_taken(data.code.strip(), warehouse.id):
        problems["code"] = _("A warehouse with this code exists.")
    _raise(problems)
    before = snapshot(warehouse)
    _apply(warehouse, data)
    return _finish(warehouse, before, actor)


@unit_of_work
def set_fence(warehouse_id: int, fence_source: Any, actor: Any) -> Warehouse:
    """Replace the fence with a validated polygon, or clear it with None."""
    warehouse = get_warehouse(warehouse_id)
    fence = _fence(fence_source)
    before = snapshot(warehouse)
    warehouse.fence = fence
    return _finish(warehouse, before, actor)


# ---- helpers ----


def _fence(source: Any) -> dict[str, Any] | None:
    if source is None:
        return None
    with leaf_refusals():
        return parse_fence(source)


def _apply(warehouse: Warehouse, data: WarehouseInput) -> None:
    warehouse.code = data.code.strip()
    warehouse.name = data.name.strip()
    warehouse.address = (data.address or "").strip()
    warehouse.capacity = Decimal(str(data.capacity).strip())
    warehouse.active = bool(data.active)


def _code_taken(code: str, except_id: int | None = None) -> bool:
    query = db.select(Warehouse.id).where(db.func.lower(Warehouse.code) == code.lower())
    if except_id is not None:
        query = query.where(Warehouse.id != except_id)
    return db.session.execute(query).first() is not None


def _raise(problems: dict[str, str]) -> None:
    if problems:
        message = next(iter(problems.values())) if len(problems) == 1 else _("Some fields are not valid.")
        raise DomainError("warehouse_invalid", message, problems)


def _finish(warehouse: Warehouse, before: dict[str, Any], actor: Any) -> Warehouse:
    db.session.flush()
    audit.record(
        "warehouse_edit", "warehouse", warehouse.id, audit.diff(before, snapshot(warehouse)), actor=actor
    )
    return warehouse
