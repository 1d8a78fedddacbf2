"""Who may call what. Every view declares its roles with `@roles_required(...)` or `@public`;
one `before_request` enforces the declaration, so a view that forgets to declare is refused,
never silently open."""

from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

ANY_USER = frozenset({"*"})  # any signed-in user, whatever their roles


def roles_required(*roles: str) -> Callable:
    """Allow users holding at least one of `roles`; with no roles, any signed-in user."""
    allowed = frozenset(roles) or ANY_USER

    def mark(view: Callable) -> Callable:
        view.allowed_roles = allowed  # type: ignore[attr-defined]
        return view

    return mark


def public(view: Callable) -> Callable:
    view.allowed_roles = None  # type: ignore[attr-defined]
    return view


_UNDECLARED = object()
_PUBLIC_ENDPOINTS = {"static", "pwa_static", "api-docs.openapi_json"}


def declared_roles(app: Flask, endpoint: str, method: str) -> Any:
    """The roles declared for this endpoint and method: a frozenset, None (public) or _UNDECLARED."""
    if endpoint in _PUBLIC_ENDPOINTS:
        return None
    view = app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:  # MethodView: the method's own mark wins over the class's
        handler = getattr(view_class, method.lower(), None)
        for source in (handler, view_class):
            if source is not None and hasattr(source, "allowed_roles"):
                return source.allowed_roles
        return _UNDECLARED
    return getattr(view, "allowed_roles", _UNDECLARED)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def enforce() -> Any:
    if request.endpoint is None:  # 404/405: let the error handlers answer
        return None
    allowed = declared_roles(current_app, request.endpoint, request.method)
    if allowed is None:
        return None
    if allowed is _UNDECLARED:
        current_app.logger.error("endpoint %s declares no roles; refused", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        if is_api_request():
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if allowed is not ANY_USER and not current_user.has_any_role(allowed):
        abort(403)
    return None
