"""The home page (for each role the user holds, what that role does next) and the bottom menu."""

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints import role_cards
from blueprints.access import roles_required
from domain import roles
from domain.orders import changes
from domain.stage_machine import STAGE_LABELS

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class MenuEntry:
    """One bottom-menu destination: an endpoint of this app, or a plain path for a page whose
    blueprint may not be registered; shown to holders of `roles` (everyone signed in if empty)."""

    label: object  # a lazy string, translated when shown
    icon: str  # SVG path data on a 24×24 grid, drawn as a stroke
    endpoint: str = ""
    path: str = ""
    roles: frozenset[str] = frozenset()
    counts_notices: bool = False  # shows the user's unacknowledged changes, kept live on every page


MENU = (
    MenuEntry(_l("Home"), "M3 11 12 3l9 8M5 9.5V21h5v-6h4v6h5V9.5", endpoint="main.home"),
    MenuEntry(
        _l("Orders"),
        "M7 3h10l2 3v15H5V6zM9 10h6M9 14h6M9 18h3",
        endpoint="orders.index",
        roles=frozenset(roles.ALL_ROLES),
    ),
    MenuEntry(
        _l("Changes"),
        "M12 4a6 6 0 0 0-6 6v4l-2 3h16l-2-3v-4a6 6 0 0 0-6-6zM10 20a2 2 0 0 0 4 0",
        endpoint="order_changes.inbox",
        roles=frozenset({roles.PLANNER, roles.WAREHOUSE, roles.LEADER, roles.QC}),
        counts_notices=True,
    ),
    MenuEntry(
        _l("Rush"),
        "M13 2 4 14h7l-1 8 9-12h-7z",
        endpoint="rush.index",
        roles=frozenset({roles.VP}),
    ),
    MenuEntry(
        _l("Dashboard"),
        "M4 13h6V4H4zM14 20h6v-9h-6zM14 4v4h6V4zM4 20h6v-4H4z",
        endpoint="dashboard.index",
        roles=frozenset({roles.VP, roles.PLANNER, roles.ADMIN}),
    ),
    MenuEntry(
        _l("Plan"),
        "M4 5h10M4 10h16M8 15h12M4 20h7",
        endpoint="planning.gantt",
        roles=frozenset({roles.PLANNER}),
    ),
    MenuEntry(
        _l("Cards"),
        "M5 4h14v16H5zM8 8h8M8 12h8M8 16h5",
        endpoint="production.leader",
        roles=frozenset({roles.LEADER}),
    ),
    MenuEntry(
        _l("Scan"),
        "M4 8V4h4M16 4h4v4M20 16v4h-4M8 20H4v-4M7 12h10",
        endpoint="scanner.scan",
        roles=frozenset({roles.WAREHOUSE, roles.LEADER, roles.SERVICE}),
    ),
    MenuEntry(
        _l("Excel"),
        "M4 3h16v18H4zM4 9h16M4 15h16M10 3v18",
        endpoint="order_exchange.index",
        roles=frozenset({roles.SALES}),
    ),
    MenuEntry(
        _l("Points"),
        "M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3 6.5 20.2l1-6.2L3 9.6l6.2-.9z",
        endpoint="entry_record.mine",
        roles=frozenset({roles.SALES}),
    ),
    MenuEntry(
        _l("Quality"),
        "M9 12l2 2 4-4M12 3l7 3v6c0 4.5-3 8-7 9-4-1-7-4.5-7-9V6z",
        endpoint="quality.index",
        roles=frozenset({roles.QC}),
    ),
    MenuEntry(
        _l("Kitting"),
        "M3 7l9-4 9 4-9 4zM3 7v10l9 4 9-4V7M12 11v10",
        endpoint="quality.kitting_page",
        roles=frozenset({roles.PLANNER, roles.WAREHOUSE}),
    ),
    MenuEntry(
        _l("Service"),
        "M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z",
        endpoint="service.index",
        roles=frozenset({roles.CS, roles.SERVICE}),
    ),
    MenuEntry(
        _l("Admin"),
        "M12 3 4 6v6c0 4.6 3.4 8.4 8 9 4.6-.6 8-4.4 8-9V6z",
        path="/admin/",
        roles=frozenset({roles.ADMIN}),
    ),
)


def _href(entry: MenuEntry) -> str | None:
    if entry.path:
        return entry.path
    return url_for(entry.endpoint) if entry.endpoint in current_app.view_functions else None


@bp.app_context_processor
def _menu() -> dict:
    def nav_items() -> list[dict]:
        items = []
        for entry in MENU:
            href = _href(entry)
            if href is None or (entry.roles and not current_user.has_any_role(entry.roles)):
                continue
            current = request.path == href or (href != "/" and request.path.startswith(href))
            item = {"href": href, "label": entry.label, "icon": entry.icon, "current": current}
            if entry.counts_notices:
                item["notices"] = changes.pending_count(current_user.id)
            items.append(item)
        return items

    return {"nav_items": nav_items, "stage_labels_all": {k: str(v) for k, v in STAGE_LABELS.items()}}


@bp.get("/")
@roles_required()
def home():
    today = role_cards.plant_today()
    return render_template("main/home.html", cards=role_cards.cards_for(current_user, today), today=today)
