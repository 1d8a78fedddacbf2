"""Plant time has one owner (domain/clock.py): no other module reads the PLANT_TIMEZONE setting, builds
a zone or converts between zones, and no page prints a stored time as UTC."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {"tests", "migrations", "node_modules", "instance"}
OWNER = "domain/clock.py"


def source_files(suffix: str) -> list[Path]:
    return [
        path
        for path in ROOT.rglob(f"*{suffix}")
        if not (set(path.relative_to(ROOT).parts[:-1]) & SKIPPED)
        and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    ]


def holders(pattern: str) -> set[str]:
    found = re.compile(pattern)
    return {
        str(p.relative_to(ROOT)) for p in source_files(".py") if found.search(p.read_text(encoding="utf-8"))
    }


def test_the_plant_timezone_setting_is_read_only_by_the_clock_and_config():
    assert holders(r"PLANT_TIMEZONE") <= {OWNER, "config.py"}
    assert OWNER in holders(r"PLANT_TIMEZONE")


def test_only_the_clock_builds_zones_and_converts_between_them():
    assert holders(r"ZoneInfo\(") == {OWNER}
    assert holders(r"\.astimezone\(") == {OWNER}


def test_no_page_prints_a_stored_time_as_utc():
    printing_utc = [
        str(p.relative_to(ROOT)) for p in source_files(".html") if re.search(r"\bUTC\b", p.read_text("utf-8"))
    ]
    assert printing_utc == []
