"""Signing in and out (DESIGN §1, §12): credentials checked, API tokens issued, each attempt audited,
every one a use case of its own; the session cookie itself is the web layer's."""

from typing import Any

from flask_babel import gettext as _

from domain import audit
from domain.errors import DomainError
from domain.transactions import unit_of_work
from domain.users import User, find_user, issue_token


@unit_of_work
def sign_in(username: str, password: str) -> User | None:
    """The active user these credentials belong to, its sign-in audited; None (the failure audited,
    and committed: the page that says so changes nothing) when they belong to nobody."""
    user = _checked(username, password)
    if user is None:
        audit.record("login_failed", "user", username.strip()[:64])
        return None
    audit.record("login", "user", user.id, actor=user)
    return user


def issue_api_token(username: str, password: str, ttl_hours: int) -> str:
    """A new bearer token for these credentials; refused (401) after the failed attempt is audited."""
    token = _token_or_none(username, password, ttl_hours)
    if token is None:
        raise DomainError("invalid_credentials", _("Wrong username or password."), status=401)
    return token


@unit_of_work
def _token_or_none(username: str, password: str, ttl_hours: int) -> str | None:
    user = _checked(username, password)
    if user is None:
        audit.record("login_failed", "user", username[:64], {"via": "api"})
        return None
    token = issue_token(user, ttl_hours)
    audit.record("token_issued", "user", user.id, actor=user)
    return token


@unit_of_work
def sign_out(user: Any) -> None:
    audit.record("logout", "user", user.id, actor=user)


@unit_of_work
def remember_language(user: Any, code: str) -> None:
    """The user's language, kept for their next sign-in on any phone."""
    user.locale = code
    audit.record("set_language", "user", user.id, {"locale": code}, actor=user)


def _checked(username: str, password: str) -> User | None:
    user = find_user(username.strip())
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
