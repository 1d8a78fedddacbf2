"""Bench: decode rate and time per 1280×720 photo, pyzbar alone against what the app ships.

    .venv/bin/python bench/decode_rate.py [--count 200] [--seed 2026]

Makes `--count` rough phone photos of labels from `--seed` (tests/label_photos.py: small, turned, at
an angle, blurred, shaken, noisy, glare, washed out, JPEG-compressed, other codes in view), then reads
each with pyzbar alone (greyscale, the same code types) and with `scanning.decode`. A photo counts as
read when its label's text is among the codes found. Prints one line per photo kind, then the
Markdown table for bench/README.md. Single-threaded; times per photo include the JPEG decode, as CPU
time of the reading thread (steady on a shared machine) and wall-clock.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanning.decoding import decode, pyzbar_only
from tests.label_photos import Photo, photo_set

READERS = {"pyzbar alone": pyzbar_only, "app (scanning.decode)": decode}
# Which photos are "rough" in which way, for the per-kind lines.
KINDS = {
    "small (code < 140 px)": lambda r: r.size < 140,
    "turned > 15°": lambda r: abs(r.angle) > 15,
    "perspective (tilt > 0.15)": lambda r: r.tilt > 0.15,
    "blurred or shaken": lambda r: r.blur > 1.5 or r.motion > 0,
    "noisy (σ > 12)": lambda r: r.noise > 12,
    "glare": lambda r: r.glare > 0,
    "low contrast (< 0.4)": lambda r: r.contrast < 0.4,
    "JPEG quality < 50": lambda r: r.jpeg < 50,
    "other codes in view": lambda r: r.others > 0,
}


def measure(photos: list[Photo], reader) -> tuple[list[bool], list[float], list[float]]:
    """Per photo: read or not, wall-clock ms, CPU ms (the CPU figure holds on a shared machine)."""
    hits, wall, cpu = [], [], []
    for photo in photos:
        started, started_cpu = time.perf_counter(), time.thread_time()
        codes = reader(photo.jpeg)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        hits.append(photo.text in codes)
    return hits, wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    photos = photo_set(args.count, args.seed)
    results = {name: measure(photos, reader) for name, reader in READERS.items()}
    names = list(READERS)
    print(f"{args.count} photos, seed {args.seed}")
    print(f"{'kind':30s} {'n':>4s} " + " ".join(f"{name:>22s}" for name in names))
    for kind, test in {"all": lambda r: True, **KINDS}.items():
        chosen = [i for i, photo in enumerate(photos) if test(photo.rough)]
        rates = [sum(results[name][0][i] for i in chosen) / max(1, len(chosen)) for name in names]
        print(f"{kind:30s} {len(chosen):4d} " + " ".join(f"{rate:22.1%}" for rate in rates))
    print()
    print(
        "| reader | photos read | decode rate | CPU ms/photo: median / mean / p95 | wall ms: median / mean |"
    )
    print("|---|---|---|---|---|")
    for name in names:
        hits, wall, cpu = results[name]
        p95 = statistics.quantiles(cpu, n=20)[-1]
        print(
            f"| {name} | {sum(hits)} / {len(hits)} | {sum(hits) / len(hits):.1%} | "
            f"{statistics.median(cpu):.0f} / {statistics.mean(cpu):.0f} / {p95:.0f} | "
            f"{statistics.median(wall):.0f} / {statistics.mean(wall):.0f} |"
        )


if __name__ == "__main__":
    main()
