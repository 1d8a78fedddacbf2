"""Bench: geofence point checks per second — unprepared vs prepared Shapely polygons, one point at a
time vs vectorised (shapely.contains_xy over arrays), and the app's full decision per fix.

    .venv/bin/python -m bench.geofence_checks [--points 200000]

Two fences in Dongguan, projected to metres like geofence/prepared.py does: a plain yard rectangle
(5 vertices) and an irregular yard of 400 vertices with a hole (a building). Points are spread over
the fence's bounding box plus 50 m, so about half fall inside. Prints a JSON summary and the Markdown
table for bench/README.md.
"""

import argparse
import json
import math
import os
import platform
import random
import time
from datetime import date

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from geofence.decision import decide
from geofence.prepared import metric_fence
from tests.integration.stock_world import YARD_A

LON0, LAT0 = 113.7510, 23.0207


def irregular_yard(vertices: int = 400) -> dict:
    """A star-ish yard ~300 m across with a 60 m building-shaped hole, as GeoJSON lon/lat."""
    rng = random.Random(7)
    per_lat = 110_574.0
    per_lon = 111_320.0 * math.cos(math.radians(LAT0))
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = 150 + 25 * math.sin(7 * angle) + rng.uniform(-4, 4)
        ring.append([LON0 + r * math.cos(angle) / per_lon, LAT0 + r * math.sin(angle) / per_lat])
    ring.append(ring[0])
    hole = [
        [LON0 + dx / per_lon, LAT0 + dy / per_lat] for dx, dy in [(-30, -20), (30, -20), (30, 20), (-30, 20)]
    ]
    hole.append(hole[0])
    return {"type": "Polygon", "coordinates": [ring, hole]}


def rate(count: int, fn) -> float:
    started = time.perf_counter()
    fn()
    return count / (time.perf_counter() - started)


def measure(name: str, fence: dict, points: int) -> dict:
    metric = metric_fence(fence)
    prepared = metric.shape
    unprepared = Polygon(prepared.exterior.coords, [h.coords for h in prepared.interiors])
    minx, miny, maxx, maxy = prepared.bounds
    rng = np.random.default_rng(2026)
    xs = rng.uniform(minx - 50, maxx + 50, points)
    ys = rng.uniform(miny - 50, maxy + 50, points)
    lons = metric.projection.lon0 + xs / metric.projection.per_lon
    lats = metric.projection.lat0 + ys / metric.projection.per_lat
    pairs = list(zip(xs.tolist(), ys.tolist(), strict=True))
    fixes = list(zip(lons.tolist(), lats.tolist(), strict=True))
    few = max(1, points // 10)  # the per-fix paths are slower: a tenth of the points is plenty

    inside = int(shapely.contains_xy(prepared, xs, ys).sum())
    results = {
        "fence": name,
        "vertices": len(prepared.exterior.coords) - 1 + sum(len(h.coords) - 1 for h in prepared.interiors),
        "points": points,
        "inside": round(inside / points, 2),
        "unprepared_per_s": rate(few, lambda: [unprepared.covers(Point(x, y)) for x, y in pairs[:few]]),
        "prepared_per_s": rate(few, lambda: [prepared.covers(Point(x, y)) for x, y in pairs[:few]]),
        "vectorised_per_s": rate(points, lambda: shapely.contains_xy(prepared, xs, ys)),
        "app_decision_per_s": rate(few, lambda: [decide(metric, lon, lat, 10.0) for lon, lat in fixes[:few]]),
    }
    agree = shapely.contains_xy(prepared, xs[:few], ys[:few]) == np.array(
        [unprepared.covers(Point(x, y)) for x, y in pairs[:few]]
    )
    results["agree"] = bool(agree.mean() > 0.999)  # contains vs covers differ only on the boundary
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000)
    args = parser.parse_args()
    rows = [
        measure("yard rectangle", YARD_A, args.points),
        measure("irregular yard + hole", irregular_yard(), args.points),
    ]
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Shapely {shapely.__version__}"
    )
    print(json.dumps({"date": date.today().isoformat(), "machine": machine, "rows": rows}, indent=2))
    print(f"\n{date.today().isoformat()}, {machine}, load average {os.getloadavg()[0]:.1f}\n")
    print(
        "| fence | vertices | unprepared checks/s | prepared checks/s | vectorised contains_xy checks/s "
        "| app decision (project + distance) /s |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['fence']} | {r['vertices']} | {r['unprepared_per_s']:,.0f} | {r['prepared_per_s']:,.0f} | "
            f"{r['vectorised_per_s']:,.0f} | {r['app_decision_per_s']:,.0f} |"
        )


if __name__ == "__main__":
    main()
