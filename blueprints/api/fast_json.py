"""Large answers written straight to JSON: a busy lot's trace or a page of 1,000 ledger moves has
thousands of values, which marshmallow would take long to dump. The rows must already be plain dicts
of the documented schema's keys; values are written as the schema's fields write them."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Response


def _plain(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)  # quantities are quantized to 3 places: "12.500", as quantity_out writes them
    if isinstance(value, datetime):  # stored naive UTC; written with its offset, as UtcDateTime does
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def fast_json(body: dict[str, Any], status: int = 200) -> Response:
    text = json.dumps(body, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, mimetype="application/json")
