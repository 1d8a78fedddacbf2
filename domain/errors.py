"""One error type for every domain refusal; blueprints/errors.py maps it to HTTP in one place."""

from flask_babel import gettext as _


class DomainError(Exception):
    """A refusal with a stable machine `code`, a message and the fields it concerns."""

    status = 422
    details: dict | None = None  # extra keys for the error body, e.g. the failed compliance rules

    def __init__(
        self, code: str, message: str, fields: dict[str, str] | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404

    def __init__(self, what: str, ident: object):
        super().__init__("not_found", _("%(what)s %(ident)s not found", what=what, ident=ident), {})


class Conflict(DomainError):
    status = 409
