"""User administration rules without a database: names, passwords, roles, and no self-lockout."""

import pytest

import domain.models  # noqa: F401  (every mapper known before a User is built)
from domain.errors import DomainError
from domain.user_admin import check_not_locking_out, password_problem, roles_problem, username_problem
from domain.users import User

ADMIN_ME = User(id=1, username="boss")
SOMEONE = User(id=2, username="li")


@pytest.mark.parametrize("name", ["wang", "li.ming", "qc-02", "王工"])
def test_plain_usernames_are_fine(name):
    assert username_problem(name) is None


@pytest.mark.parametrize("name", ["", "a", "two words", "x" * 65, "semi;colon"])
def test_odd_usernames_are_refused(name):
    assert username_problem(name)


def test_password_shorter_than_8_is_refused():
    assert "8" in password_problem("short12")


def test_password_of_8_is_fine():
    assert password_problem("long-eno") is None


def test_demo_account_may_keep_a_short_password():
    assert password_problem("demo", demo=True) is None


def test_empty_password_is_refused_even_for_demo():
    assert password_problem("", demo=True)


def test_roles_must_be_known_and_at_least_one():
    assert roles_problem([]) and roles_problem(["admin", "king"])
    assert "king" in roles_problem(["admin", "king"])
    assert roles_problem(["sales", "qc"]) is None


def test_admin_cannot_deactivate_themselves():
    with pytest.raises(DomainError) as caught:
        check_not_locking_out(ADMIN_ME, ADMIN_ME, active=False)
    assert (caught.value.code, caught.value.status) == ("cannot_deactivate_self", 409)


def test_admin_cannot_drop_their_own_admin_role():
    with pytest.raises(DomainError) as caught:
        check_not_locking_out(ADMIN_ME, ADMIN_ME, roles=["sales"])
    assert caught.value.code == "cannot_remove_own_admin"
    assert "roles" in caught.value.fields


def test_admin_may_change_their_other_roles():
    check_not_locking_out(ADMIN_ME, ADMIN_ME, roles=["admin", "planner"])


def test_admin_may_deactivate_and_demote_someone_else():
    check_not_locking_out(ADMIN_ME, SOMEONE, roles=["sales"], active=False)
