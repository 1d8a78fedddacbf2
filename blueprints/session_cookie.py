"""The signed-cookie session, with one exception: a view marked read-only never sets the cookie.

Pages that the service worker fetches in the background (the offline page) race with the user's own
requests: a background answer made from the cookie of a moment ago would overwrite the cookie of a
sign-in or a new CSRF token that arrived meanwhile, and the next form would fail its CSRF check.
"""

from collections.abc import Callable

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface


def session_read_only(view: Callable) -> Callable:
    """The view may read the session, but its response never writes the cookie."""
    view.session_read_only = True
    return view


class PageSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session, response) -> None:
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if getattr(view, "session_read_only", False):
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = PageSessionInterface()
