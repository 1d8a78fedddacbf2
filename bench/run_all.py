"""Every benchmark in one command: runs each script of the registry below, collects the Markdown
table(s) it prints, and writes them with the machine, date and commit into bench/README.md between
the `run_all` markers (the sections above the markers explain each bench).

    .venv/bin/python -m bench.run_all            # everything, full size (tens of minutes)
    .venv/bin/python -m bench.run_all --quick    # smaller sizes (stock moves full): ~15 minutes
    .venv/bin/python -m bench.run_all --only geofence,stock_moves_sqlite
    make bench

Adding a bench: one `Bench(...)` line in BENCHES. A script in bench/ that is in no line is named in
the output, so a new bench is not silently left out.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- run_all: begin -->", "<!-- run_all: end -->"
NOT_BENCHES = {"__init__.py", "run_all.py", "bare_insert.py", "wsgi_bench.py"}


@dataclass(frozen=True)
class Bench:
    name: str
    script: str  # module under bench/
    title: str
    args: list[str] = field(default_factory=list)
    quick: list[str] | None = None  # arguments for --quick (None: the full arguments)
    env: dict[str, str] = field(default_factory=dict)
    quick_env: dict[str, str] | None = None
    postgres: bool = False  # needs 127.0.0.1:5432
    header: tuple[str, ...] = ()  # for a script that prints only its table's row(s)


MOVES_HEADER = (
    "| date | machine | database | moves/s (64) | bare/s (64) | ratio | moves p50/p99, 16 back to back "
    "| bare p50/p99, 16 back to back | moves p50/p99, 16 paced 100/s | bare p50/p99, 16 paced 100/s |",
    "|---|---|---|---|---|---|---|---|---|---|",
)
CARDS_HEADER = (
    "| date | database | leaders | commit → card, one at a time | click → card, one at a time "
    "| commit → card, 8 at once | click → card, 8 at once |",
    "|---|---|---|---|---|---|---|",
)


BENCHES = [
    # The stock moves run full size even with --quick: their figures are issue 4's and 11's targets,
    # and a p99 needs the full 20 s windows (~2,000 requests each) to mean anything.
    Bench("stock_moves_sqlite", "stock_moves", "Validated stock moves vs bare insert, SQLite, 1 process",
          header=MOVES_HEADER),
    Bench("stock_moves_pg_nginx", "stock_moves",
          "Validated stock moves vs bare insert, PostgreSQL, 2 processes behind nginx (TLS)",
          ["--postgres", "--processes", "2"], postgres=True, header=MOVES_HEADER),
    Bench("geofence", "geofence_checks", "Geofence checks per second",
          quick=["--points", "50000"]),
    Bench("card_latency", "card_latency", "Commit-to-card latency, 200 leaders connected",
          quick=["--leaders", "50", "--cards", "50", "--burst-cards", "50"], header=CARDS_HEADER),
    Bench("decode", "decode_rate", "Label photo decode rate and ms per photo", quick=["--count", "60"]),
    Bench("order_list", "order_list", "Order list at 100,000 orders (SQLite)"),
    Bench("ledger_feed_sqlite", "ledger_feed", "Stock ledger read by an ERP, 500,000 moves (SQLite)",
          quick_env={"BENCH_MOVES": "100000"}),
    Bench("ledger_feed_pg", "ledger_feed", "Stock ledger read by an ERP, 500,000 moves (PostgreSQL)",
          ["--postgres"], postgres=True, quick_env={"BENCH_MOVES": "100000"}),
    Bench("trace", "trace", "Trace queries", quick=["--moves", "100000", "--repeat", "3"]),
    Bench("dashboard", "dashboard", "Dashboards at scale",
          quick_env={"BENCH_ORDERS": "20000", "BENCH_MOVES": "100000"}),
    Bench("recommend", "recommend", "Part recommendation"),
    Bench("xlsx_import", "xlsx_import", "Excel order import"),
    Bench("scheduling", "scheduling", "Scheduler vs append rule and EDD (demo, 500 ops)"),
]  # fmt: skip


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = f"{model} ({platform.machine()})"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} vCPUs, Python {platform.python_version()}"


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def postgres_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def run_one(bench: Bench, quick: bool, timeout: float) -> tuple[str, list[str]]:
    args = bench.quick if quick and bench.quick is not None else bench.args
    env = {**os.environ, **bench.env, **((bench.quick_env or {}) if quick else {})}
    command = [sys.executable, "-m", f"bench.{bench.script}", *args]
    shown = " ".join(["python -m", f"bench.{bench.script}", *args])
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return shown, [f"_not finished within {timeout:.0f} s_"]
    took = time.monotonic() - started
    tables = [line for line in done.stdout.splitlines() if line.startswith("|")]
    if done.returncode != 0:
        tail = " / ".join(done.stderr.strip().splitlines()[-3:])
        return shown, [f"_failed (exit {done.returncode}, {took:.0f} s): {tail[:300]}_"]
    if not tables:  # a bench that prints plain text: its last lines, as printed
        tail = [line for line in done.stdout.splitlines() if line.strip()][-15:]
        return shown, ["```", *tail, "```", "", f"_{took:.0f} s_"]
    if not any(set(line.replace("|", "").strip()) <= set("-: ") for line in tables):
        tables = [*bench.header, *tables]  # rows only: the bench's own header goes on top
    return shown, [*tables, "", f"_{took:.0f} s_"]


def section(results: list[tuple[Bench, str, list[str]]], quick: bool) -> str:
    now = datetime.now(UTC)
    load = os.getloadavg()
    lines = [
        BEGIN,
        "## All benchmarks, one run (`make bench`, `bench/run_all.py`)",
        "",
        f"Run {now:%Y-%m-%d %H:%M} UTC on {machine()}, commit {commit()}"
        f"{', quick sizes' if quick else ''}; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (a shared machine: other jobs ran alongside).",
        "",
    ]
    for bench, shown, table in results:
        lines += [f"### {bench.title}", "", f"`{shown}`", "", *table, ""]
    lines.append(END)
    return "\n".join(lines)


def write_readme(text: str) -> None:
    current = README.read_text() if README.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(head + text + tail)
    else:
        README.write_text(current.rstrip("\n") + "\n\n" + text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: minutes, not tens of minutes")
    parser.add_argument("--only", help="comma-separated bench names: " + ", ".join(b.name for b in BENCHES))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per bench")
    parser.add_argument("--no-write", action="store_true", help="print, leave bench/README.md alone")
    args = parser.parse_args()
    chosen = BENCHES
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {b.name for b in BENCHES}
        if unknown:
            parser.error(f"unknown bench: {', '.join(sorted(unknown))}")
        chosen = [b for b in BENCHES if b.name in wanted]
    registered = {f"{b.script}.py" for b in BENCHES}
    for path in sorted((ROOT / "bench").glob("*.py")):
        if path.name not in registered | NOT_BENCHES:
            print(f"note: bench/{path.name} is in no Bench(...) line of bench/run_all.py", flush=True)
    results = []
    for bench in chosen:
        if bench.postgres and not postgres_up():
            results.append((bench, "-", ["_skipped: PostgreSQL does not answer on 127.0.0.1:5432_"]))
            continue
        print(f"running {bench.name} …", flush=True)
        shown, table = run_one(bench, args.quick, args.timeout)
        print("\n".join(table), flush=True)
        results.append((bench, shown, table))
    text = section(results, args.quick)
    if not args.no_write:
        write_readme(text)
        print(f"wrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
