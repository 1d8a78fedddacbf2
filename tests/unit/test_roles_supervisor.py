"""The warehouse supervisor (DESIGN §6): a role of its own, with the right to approve large adjustments."""

from domain import roles
from domain.stock.counts import SUPERVISOR_ROLES


def test_the_supervisor_is_a_role_with_a_name():
    assert roles.SUPERVISOR in roles.ALL_ROLES
    assert str(roles.ROLE_LABELS[roles.SUPERVISOR])


def test_supervisors_and_administrators_approve_large_adjustments_workers_do_not():
    assert {roles.SUPERVISOR, roles.ADMIN} == set(SUPERVISOR_ROLES)
    assert roles.WAREHOUSE not in SUPERVISOR_ROLES
