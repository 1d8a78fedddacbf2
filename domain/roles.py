"""The nine roles of DESIGN §1, and the warehouse supervisor of §6; a user may hold several."""

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
# DESIGN §6: approves adjustments above the limit and reviews the exceptions page; in the plant a
# supervisor also works the warehouse, so the demo's supervisor holds both roles.
SUPERVISOR = "supervisor"
ALL_ROLES: tuple[str, ...] = (ADMIN, SALES, PLANNER, WAREHOUSE, SUPERVISOR, LEADER, QC, SERVICE, CS, VP)

ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    SALES: _l("Sales"),
    PLANNER: _l("Planner"),
    WAREHOUSE: _l("Warehouse"),
    SUPERVISOR: _l("Warehouse supervisor"),
    LEADER: _l("Team leader"),
    QC: _l("Quality control"),
    SERVICE: _l("Service technician"),
    CS: _l("Customer service"),
    VP: _l("Vice president"),
}

# Prices, costs and margins are for the roles that deal in them (DESIGN §1: sales quote, the VP weighs
# margins, customer service answers price questions, admin keeps the price list); other roles make,
# move and check the goods and see orders without them.
PRICE_ROLES: frozenset[str] = frozenset({SALES, VP, ADMIN, CS})
PRICE_FIELDS: frozenset[str] = frozenset({"unit_price", "price_override_reason", "list_price"})


def sees_prices(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_any_role(PRICE_ROLES)
