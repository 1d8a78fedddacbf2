"""User administration (DESIGN §1): accounts, roles, teams, passwords, deactivation — by an admin."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from domain import audit
from domain.errors import DomainError, NotFound
from domain.masterdata import Team
from domain.roles import ADMIN, ALL_ROLES
from domain.search_text import contains
from domain.transactions import unit_of_work
from domain.users import ApiToken, User
from extensions import db

MIN_PASSWORD = 8
MAX_PER_PAGE = 100
MAX_PASSWORD = 128  # the sign-in form accepts no more
USERNAME = re.compile(r"^[\w.\-]{2,64}$")  # \w includes Chinese characters: 王工 is a fine username

WECOM_USERID = re.compile(r"[A-Za-z0-9._@-]{1,64}")


@dataclass(frozen=True)
class UserInput:
    display_name: str
    roles: Iterable[str]
    team_id: int | None = None
    wecom_userid: str = ""  # 企业微信 userid: where app messages reach them (empty: in the app only)


# ---- rules ----


def username_problem(username: str) -> str | None:
    if not USERNAME.match(username or ""):
        return _("2 to 64 letters, digits, dots, dashes or underscores; no spaces.")
    return None


def password_problem(password: str, *, demo: bool = False) -> str | None:
    """Demo accounts keep the published password `demo`; everyone else needs 8 characters or more."""
    minimum = 1 if demo else MIN_PASSWORD
    if len(password or "") < minimum:
        return _("At least %(n)s characters.", n=minimum)
    if len(password) > MAX_PASSWORD:
        return _("At most %(n)s characters.", n=MAX_PASSWORD)
    return None


def roles_problem(roles: Iterable[str]) -> str | None:
    chosen = set(roles)
    if not chosen:
        return _("Choose at least one role.")
    if unknown := chosen - set(ALL_ROLES):
        return _("Unknown role: %(roles)s.", roles=", ".join(sorted(unknown)))
    return None


def check_not_locking_out(
    actor: Any, user: User, *, roles: Iterable[str] | None = None, active: bool = True
) -> None:
    """An admin may not deactivate themselves or drop their own admin role: nobody could undo it."""
    if getattr(actor, "id", None) != user.id:
        return
    if not active:
        raise DomainError(
            "cannot_deactivate_self",
            _("You cannot deactivate your own account."),
            {"active": _("Not yourself.")},
            409,
        )
    if roles is not None and ADMIN not in set(roles):
        message = _("You cannot remove your own administrator role.")
        raise DomainError("cannot_remove_own_admin", message, {"roles": message}, 409)


# ---- queries ----


def user_page(q: str = "", active: bool | None = None, page: int = 1, per_page: int = 25) -> Pagination:
    """Users by username; `q` looks in username and display name; `active` None means both."""
    stmt = db.select(User)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if q.strip():
        stmt = stmt.where(contains(q.strip(), User.username, User.display_name))
    stmt = stmt.order_by(User.username, User.id)
    return db.paginate(stmt, page=max(page, 1), per_page=min(max(per_page, 1), MAX_PER_PAGE), error_out=False)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("User"), user_id)
    return user


def teams_by_id() -> dict[int, Team]:
    return {t.id: t for t in db.session.execute(db.select(Team).order_by(Team.code)).scalars()}


def snapshot(user: User, teams: dict[int, Team] | None = None) -> dict[str, Any]:
    team = (teams or {}).get(user.team_id) if user.team_id else None
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "team": team.code if team else user.team_id,
        "wecom_userid": user.wecom_userid,
        "active": user.active,
    }


# ---- services: each owns its transaction and audits it ----


@unit_of_work
def create_user(username: str, password: str, data: UserInput, actor: Any) -> User:
    username = (username or "").strip()
    problems = _input_problems(data)
    if problem := username_problem(username):
        problems["username"] = problem
    elif _username_taken(username):
        problems["username"] = _("This username is taken.")
    if problem := password_problem(password):
        problems["password"] = problem
    _raise(problems)
    user = User(username=username, display_name=data.display_name.strip(), team_id=data.team_id, active=True)
    user.wecom_userid = data.wecom_userid.strip() or None
    user.set_password(password)
    user.set_roles(set(data.roles))
    db.session.add(user)
    db.session.flush()
    audit.record("user_create", "user", user.id, audit.diff({}, snapshot(user, teams_by_id())), actor=actor)
    return user


@unit_of_work
def update_user(user_id: int, data: UserInput, actor: Any) -> User:
    user = get_user(user_id)
    _raise(_input_problems(data))
    check_not_locking_out(actor, user, roles=data.roles)
    teams = teams_by_id()
    before = snapshot(user, teams)
    user.display_name = data.display_name.strip()
    user.set_roles(set(data.roles))
    user.team_id = data.team_id
    user.wecom_userid = data.wecom_userid.strip() or None
    return _finish("user_edit", user, before, teams, actor)


@unit_of_work
def reset_password(user_id: int, password: str, actor: Any) -> User:
    """A new password; the user's API tokens stop working (a reset usually means a leak)."""
    user = get_user(user_id)
    if problem := password_problem(password, demo=user.is_demo):
        raise DomainError("password_too_weak", problem, {"password": problem})
    user.set_password(password)
    revoked = _revoke_tokens(user)
    audit.record("user_password_reset", "user", user.id, {"api_tokens_revoked": [None, revoked]}, actor=actor)
    return user


@unit_of_work
def set_active(user_id: int, active: bool, actor: Any) -> User:
    """Deactivate (cannot sign in; every API token revoked) or reactivate an account."""
    user = get_user(user_id)
    check_not_locking_out(actor, user, active=active)
    teams = teams_by_id()
    before = snapshot(user, teams)
    user.active = active
    if not active:
        _revoke_tokens(user)
    return _finish("user_activate" if active else "user_deactivate", user, before, teams, actor)


# ---- helpers ----


def _input_problems(data: UserInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    name = (data.display_name or "").strip()
    if len(name) > 100:
        problems["display_name"] = _("At most %(n)s characters.", n=100)
    if not WECOM_USERID.fullmatch(data.wecom_userid.strip() or "-"):
        problems["wecom_userid"] = _("Letters, digits and . _ - @ only, at most 64 characters, as in WeCom.")
    if problem := roles_problem(data.roles):
        problems["roles"] = problem
    if data.team_id is not None:
        team = db.session.get(Team, data.team_id)
        if team is None or not team.active:
            problems["team_id"] = _("There is no active team %(id)s.", id=data.team_id)
    return problems


def _raise(problems: dict[str, str]) -> None:
    if problems:
        message = next(iter(problems.values())) if len(problems) == 1 else _("Some fields are not valid.")
        raise DomainError("user_invalid", message, problems)


def _username_taken(username: str) -> bool:
    """Case-insensitive, so 'Wang' and 'wang' cannot be two people who sign in by mistake as each other."""
    found = db.session.execute(
        db.select(User.id).where(db.func.lower(User.username) == username.lower())
    ).first()
    return found is not None


def _revoke_tokens(user: User) -> int:
    result = db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return result.rowcount or 0


def _finish(action: str, user: User, before: dict[str, Any], teams: dict[int, Team], actor: Any) -> User:
    db.session.flush()
    audit.record(action, "user", user.id, audit.diff(before, snapshot(user, teams)), actor=actor)
    return user
