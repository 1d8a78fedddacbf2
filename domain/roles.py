"""The nine roles of DESIGN §1; a user may hold several."""

from flask_babel import lazy_gettext as _l

ADMIN, SALES, PLANNER, WAREHOUSE, LEADER, QC, SERVICE, CS, VP = (
    "admin",
    "sales",
    "planner",
    "warehouse",
    "leader",
    "qc",
    "service",
    "cs",
    "vp",
)
ALL_ROLES: tuple[str, ...] = (ADMIN, SALES, PLANNER, WAREHOUSE, LEADER, QC, SERVICE, CS, VP)

ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    SALES: _l("Sales"),
    PLANNER: _l("Planner"),
    WAREHOUSE: _l("Warehouse"),
    LEADER: _l("Team leader"),
    QC: _l("Quality control"),
    SERVICE: _l("Service technician"),
    CS: _l("Customer service"),
    VP: _l("Vice president"),
}
