"""Rules about what a master-data row may point at: plain values in, a problem (or None) out."""

from typing import Any

from flask_babel import gettext as _

from domain.roles import ROLE_LABELS


def reference_problem(row: Any, what: str, role: str | None = None) -> str | None:
    """Why `row` (a referenced customer, warehouse, user, ...) cannot be used, or None if it can.

    A deactivated row stays in history but takes no new references; a user referenced for a `role`
    (e.g. a team's leader) must hold that role, so task cards reach someone who can act on them.
    """
    if row is None:
        return _("No such %(what)s.", what=what)
    if not getattr(row, "active", True):
        return _("This %(what)s is deactivated.", what=what)
    if role is not None and role not in getattr(row, "roles", set()):
        return _("This user does not hold the role %(role)s.", role=ROLE_LABELS.get(role, role))
    return None
