"""How each demo product is made, packed, costed and priced, and where the demo warehouses stand."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from demo.catalogue import COLOURS, MASTERBATCH_RATIO, SKU_BY_CODE, ProductSpec

GRAM = Decimal("0.001")
CENT_FRACTION = Decimal("0.0001")  # Money keeps 4 decimals: cheap parts are quoted to 0.1 fen
OVERHEAD = Decimal("1.08")
RATE_PER_SECOND = {"WS-IM": Decimal("0.025"), "WS-SP": Decimal("0.020"), "WS-AS": Decimal("0.010")}
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class LineSpec:
    sku: str
    qty_per: Decimal
    scrap_pct: Decimal


@dataclass(frozen=True)
class StepSpec:
    seq: int
    name: str
    workshop: str
    setup_minutes: int
    seconds_per_unit: Decimal


@dataclass(frozen=True)
class Packing:
    inner_sku: str
    per_inner: int
    carton_sku: str
    per_carton: int
    text: str  # what the order's packaging field says


def _q(value: Decimal, step: Decimal = GRAM) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


# ---- packaging ----


def _per_carton(grams: Decimal) -> int:
    """A carton holds 10-20 kg; every count divides 1000 so 1/count is exact with 3 decimals."""
    for floor, count in ((200, 20), (100, 40), (60, 50), (20, 200), (5, 500)):
        if grams >= floor:
            return count
    return 1000


def packing(product: ProductSpec) -> Packing:
    if product.family == "CN":
        return Packing("PK-ESD-01", 500, "PK-CTN-02", 1000, "防静电屏蔽袋包装，每袋 500 个，每箱 1000 个")
    if "spray" in product.finish:  # painted faces must not touch each other
        count = 40 if product.grams >= 100 else 100
        return Packing("PK-TRY-01", 20, "PK-CTN-01", count, f"吸塑托盘隔开，每盘 20 个，每箱 {count} 个")
    count = _per_carton(product.grams)
    carton = "PK-CTN-01" if product.grams >= 60 else "PK-CTN-02"
    if product.grams >= 60:
        return Packing("PK-PE-01", 1, carton, count, f"PE 袋单个包装，每箱 {count} 个")
    return Packing("PK-PE-01", 100, carton, count, f"PE 袋每袋 100 个，每箱 {count} 个")


# ---- bill of materials ----


def bom_lines(product: ProductSpec) -> list[LineSpec]:
    """Resin, masterbatch, paint and ink in grams; inserts and packaging in pieces."""
    lines = [LineSpec(product.resin, _q(product.grams), Decimal(3))]
    if product.colour:
        lines.append(LineSpec(COLOURS[product.colour][0], _q(product.grams * MASTERBATCH_RATIO), Decimal(3)))
    if "spray" in product.finish:  # overspray is most of what a spray booth uses
        paint = max(Decimal("0.5"), product.grams * Decimal("0.03"))
        lines.append(LineSpec("PT-PU-BK", _q(paint), Decimal(15)))
    if "print" in product.finish:
        lines.append(LineSpec("INK-WH", Decimal("0.050"), Decimal(10)))
    lines += [LineSpec(sku, Decimal(count), Decimal("0.5")) for sku, count in product.inserts]
    pack = packing(product)
    lines.append(LineSpec(pack.inner_sku, _q(Decimal(1) / pack.per_inner), Decimal(0)))
    lines.append(LineSpec(pack.carton_sku, _q(Decimal(1) / pack.per_carton), Decimal(0)))
    return lines


# ---- routing ----


def _molding_seconds(product: ProductSpec) -> Decimal:
    """Cycle time grows with the shot (parts plus ~15 % runner); one cycle makes `cavities` parts."""
    shot = float(product.grams) * product.cavities * 1.15
    cycle = min(75.0, 18.0 + 0.08 * shot)
    return _q(Decimal(str(cycle / product.cavities)), Decimal("0.01"))


def _last_step(product: ProductSpec) -> tuple[str, int, Decimal]:
    pieces = sum(count for _, count in product.inserts)
    if any(sku == "IN-PIN-064" for sku, _ in product.inserts):
        return "自动插针及包装", 30, Decimal("1.5") + Decimal("0.3") * pieces
    if pieces:
        return "热熔埋螺母及包装", 20, Decimal(3) + Decimal(2) * pieces
    return "全检包装", 10, Decimal("2.5")


def routing(product: ProductSpec) -> list[StepSpec]:
    """Molding, then painting and/or silk-screen printing when the part needs them, then assembly."""
    setup = 120 if product.grams >= 150 else 90
    steps = [("注塑成型", "WS-IM", setup, _molding_seconds(product))]
    if "spray" in product.finish:
        steps.append(("喷涂", "WS-SP", 45, _q(Decimal(6) + product.grams * Decimal("0.02"), Decimal("0.01"))))
    if "print" in product.finish:
        steps.append(("丝印", "WS-SP", 30, Decimal(4)))
    name, minutes, seconds = _last_step(product)
    steps.append((name, "WS-AS", minutes, _q(seconds, Decimal("0.01"))))
    return [StepSpec(seq, *step) for seq, step in enumerate(steps, start=1)]


# ---- cost and price ----


def unit_cost(product: ProductSpec) -> Decimal:
    """Materials (with their scrap) plus machine and labour time, plus overhead, in CNY per part."""
    material = sum(
        (ln.qty_per * (1 + ln.scrap_pct / 100) * SKU_BY_CODE[ln.sku].unit_cost for ln in bom_lines(product)),
        Decimal(0),
    )
    process = sum(
        (step.seconds_per_unit * RATE_PER_SECOND[step.workshop] for step in routing(product)), Decimal(0)
    )
    return _q((material + process) * OVERHEAD, CENT_FRACTION)


def unit_price(cost: Decimal, margin: Decimal) -> Decimal:
    """The price that earns `margin` (gross, on the price) over `cost`."""
    return _q(cost / (1 - margin), CENT_FRACTION)


def gross_margin(price: Decimal, cost: Decimal) -> Decimal:
    return (price - cost) / price


# ---- warehouses ----


def footprint(origin: tuple[float, float], corners_m: Any, bearing_deg: float) -> dict[str, Any]:
    """A GeoJSON Polygon (lon/lat) from a building outline drawn in metres east/north of `origin`,
    turned by `bearing_deg` to follow the street grid (flat-earth: exact enough for a few hundred m)."""
    lon0, lat0 = origin
    turn = math.radians(bearing_deg)
    metres_per_lon = METRES_PER_DEGREE * math.cos(math.radians(lat0))
    ring = []
    for east, north in corners_m:
        x = east * math.cos(turn) - north * math.sin(turn)
        y = east * math.sin(turn) + north * math.cos(turn)
        ring.append([round(lon0 + x / metres_per_lon, 7), round(lat0 + y / METRES_PER_DEGREE, 7)])
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
