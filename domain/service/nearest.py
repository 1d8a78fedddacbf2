"""The service points nearest to a customer that hold the recommended parts, with their stock."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from domain.masterdata import Location, ServicePoint, Sku
from domain.stock.ledger import StockBalance
from extensions import db
from geofence.metric import distance_m

NONE = Decimal("0.000")  # shown like any other quantity


@dataclass(frozen=True)
class PointStock:
    code: str
    name: str
    address: str
    distance_km: float | None  # None when the customer's location is unknown
    stock: dict[str, Decimal] = field(default_factory=dict)  # SKU code → on hand (0 when none)
    holds: int = 0  # how many of the wanted parts it has at least one of

    @property
    def holds_all(self) -> bool:
        return self.holds == len(self.stock)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return round(distance_m(lon1, lat1, lon2, lat2) / 1000, 1)


def rank_points(points: list[PointStock]) -> list[PointStock]:
    """Points holding any wanted part first, nearest first; among those, holding more parts wins only
    when they are equally near (the technician drives to the nearest point that helps)."""
    far = float("inf")
    return sorted(
        points,
        key=lambda p: (p.holds == 0, p.distance_km if p.distance_km is not None else far, -p.holds, p.code),
    )


def nearest_points(lat: float | None, lon: float | None, skus: list[str], limit: int = 5) -> list[PointStock]:
    """Active service points with a warehouse, their on-hand of each SKU in `skus` (two queries)."""
    points = (
        db.session.execute(
            select(ServicePoint).where(ServicePoint.active.is_(True), ServicePoint.warehouse_id.is_not(None))
        )
        .scalars()
        .all()
    )
    on_hand: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if skus and points:
        rows = db.session.execute(
            select(Location.warehouse_id, Sku.code, func.sum(StockBalance.qty))
            .join(Location, Location.id == StockBalance.location_id)
            .join(Sku, Sku.id == StockBalance.sku_id)
            .where(Sku.code.in_(skus), Location.warehouse_id.in_([p.warehouse_id for p in points]))
            .group_by(Location.warehouse_id, Sku.code)
        )
        for warehouse_id, code, qty in rows:
            on_hand[warehouse_id][code] = Decimal(qty)
    result = []
    for point in points:
        stock = {code: on_hand[point.warehouse_id].get(code, NONE) for code in skus}
        known = lat is not None and lon is not None
        result.append(
            PointStock(
                point.code,
                point.name,
                point.address,
                distance_km(lat, lon, point.lat, point.lon) if known else None,
                stock,
                sum(1 for qty in stock.values() if qty > 0),
            )
        )
    return rank_points(result)[:limit]
