"""The one exception of the geofence leaf: a fence file or a GPS fix refused. The domain turns it into
its own DomainError (domain/errors.py), so this package needs nothing from the layers above it."""


class FenceRefused(ValueError):
    """A refusal with a stable machine `code`, a message for the user and the fields it concerns."""

    def __init__(self, code: str, message: str, fields: dict[str, str], status: int = 422):
        super().__init__(message)
        self.code, self.message, self.fields, self.status = code, message, fields, status
