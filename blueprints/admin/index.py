"""The admin home (/admin/): every administration section, grouped the way the plant thinks of them."""

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from blueprints.access import roles_required
from domain.masterdata_admin.entities import ENTITIES
from domain.roles import ADMIN

bp = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class Section:
    label: Any
    endpoint: str
    args: dict[str, str] = field(default_factory=dict)


def _masterdata(kind: str) -> Section:
    return Section(ENTITIES[kind].plural, "admin_masterdata.index", {"kind": kind})


GROUPS: tuple[tuple[Any, tuple[Section, ...]], ...] = (
    (_l("Sales"), (_masterdata("customers"), _masterdata("products"), _masterdata("prices"))),
    (
        _l("Engineering and materials"),
        (
            _masterdata("skus"),
            # ---- BOMs and routings: pages of their own (blueprints/admin/boms.py, routings.py) ----
            Section(_l("BOM versions"), "admin_boms.index"),
            Section(_l("Routings"), "admin_routings.index"),
        ),
    ),
    (
        _l("Plant and warehouses"),
        (
            _masterdata("workshops"),
            _masterdata("teams"),
            # ---- warehouses and geofences: blueprints/admin/warehouses.py ----
            Section(_l("Warehouses and geofences"), "admin_warehouses.index"),
            _masterdata("locations"),
            _masterdata("service-points"),
        ),
    ),
    (
        _l("Data exchange"),
        (
            # ---- ERP sync history, order sheets, entry errors: DESIGN §2 and §10 ----
            Section(_l("ERP sync history"), "admin_erp_syncs.index"),
            Section(_l("Orders in Excel"), "order_exchange.index"),
            Section(_l("Entry errors and points"), "admin_entry_errors.index"),
            # ---- messages with the app closed: blueprints/admin/delivery.py ----
            Section(_l("Message delivery"), "admin_delivery.index"),
        ),
    ),
    (
        _l("People"),
        # ---- user accounts: blueprints/admin/users.py ----
        (Section(_l("Users"), "admin_users.index"),),
    ),
)


@bp.get("/")
@roles_required(ADMIN)
def home():
    """Sections whose pages are not installed in this app are left out rather than linked dead."""
    groups = [
        (
            title,
            [
                (s.label, url_for(s.endpoint, **s.args))
                for s in sections
                if s.endpoint in current_app.view_functions
            ],
        )
        for title, sections in GROUPS
    ]
    return render_template("admin/index.html", groups=[(title, links) for title, links in groups if links])
