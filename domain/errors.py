"""One error type for every domain refusal; blueprints/errors.py maps it to HTTP in one place."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _

from geofence.errors import FenceRefused
from scanning.errors import LabelRefused


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


LEAF_REFUSALS = (FenceRefused, LabelRefused)  # the pure leaves' own exceptions, same shape as ours


def from_leaf(error: FenceRefused | LabelRefused) -> DomainError:
    return DomainError(error.code, error.message, error.fields, error.status)


@contextmanager
def leaf_refusals() -> Iterator[None]:
    """Around a call into scanning/ or geofence/: their refusal becomes a DomainError, which the
    callers up the stack (a batch of offline scans, the error handler) already know how to report."""
    try:
        yield
    except LEAF_REFUSALS as error:
        raise from_leaf(error) from error
