"""The dashboard and KPI figures for the plant's settings: the plant's timezone (domain/clock.py) for "today"
and months, and the machine hours a workshop has per machine and day (PLANT_HOURS_PER_MACHINE,
default 24: injection molding runs around the clock in two or three shifts)."""

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from domain import clock
from domain.kpi import dashboard_data, monthly, periods, service_facts

DEFAULT_HOURS_PER_MACHINE = 24.0
MAX_MONTHS = 36
HOT_SPOT_MONTHS = 12


def zone() -> ZoneInfo:
    return clock.plant_zone()


def today():
    return periods.plant_today(zone())


def hours_per_machine() -> float:
    return float(current_app.config.get("PLANT_HOURS_PER_MACHINE") or DEFAULT_HOURS_PER_MACHINE)


def dashboard_module(name: str) -> dict[str, Any]:
    if name == "order_pool":
        return dashboard_data.order_pool_data()
    if name == "heatmap":
        return dashboard_data.heatmap_data(today(), zone(), hours_per_machine())
    if name == "kitting":
        return dashboard_data.kitting_data(zone())
    if name == "countdown":
        return dashboard_data.countdown_data(today())
    raise KeyError(name)


def dashboard_modules() -> dict[str, Any]:
    return dashboard_data.all_modules(today(), zone(), hours_per_machine())


def _closed_months() -> monthly.ClosedMonths:
    """Per app (so each test's fresh database starts empty); KPI_CLOSED_MONTHS_TTL seconds, default 1 h."""
    extensions = current_app.extensions
    if "kpi_closed_months" not in extensions:
        ttl = float(current_app.config.get("KPI_CLOSED_MONTHS_TTL", 3600))
        extensions["kpi_closed_months"] = monthly.ClosedMonths(ttl)
    return extensions["kpi_closed_months"]


def ohdi(months: int = 12) -> dict[str, Any]:
    return monthly.ohdi_series(today(), min(months, MAX_MONTHS), zone(), _closed_months())


def missing_information(months: int = 12) -> dict[str, Any]:
    return monthly.missing_information(today(), min(months, MAX_MONTHS), zone(), _closed_months())


def repair_hot_spots(months: int = HOT_SPOT_MONTHS) -> dict[str, Any]:
    first = periods.last_months(today(), min(months, MAX_MONTHS))[0]
    since, _end = periods.month_bounds_utc(first, zone())
    spots = service_facts.repair_hot_spots(since)
    if spots is None:
        return {"available": False, "since": None, "age_bands": [], "models": []}
    return {"available": True, **spots}
