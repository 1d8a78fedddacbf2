"""Fields shared by the API's schemas."""

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma


class UtcDateTime(ma.fields.DateTime):
    """A stored time (naive UTC, see domain/clock.py) written with its offset, "…+00:00": OpenAPI's
    `date-time` (RFC 3339) requires one, and a browser reads an offset-less time as its own local time."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
