"""Signed location labels: a hand-made label for a location is refused.

A location label's QR code holds `<base>/s/loc/<id>.<signature>`, for example
`https://oh.example.cn/s/loc/42.kX3v9QbL0aZ`: the signature is the first 64 bits of an HMAC-SHA256 of
`loc:<id>` under a key derived from the server's secret, in unpadded base64url (11 characters), so the
whole URL stays short enough for a small QR code. 64 bits cannot be guessed online; the server never
trusts a bare location id from the phone.

The key is `LABEL_SIGNING_KEY` when set, else derived from `SECRET_KEY`: set LABEL_SIGNING_KEY before
printing labels if SECRET_KEY may be rotated, because printed labels are only valid under the key that
signed them.
"""

import base64
import hashlib
import hmac
import re
from functools import lru_cache
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _

from scanning.errors import LabelRefused

LOCATION = "loc"
SIGNATURE_BYTES = 8
_TOKEN = re.compile(r"(?:^|/s/loc/)(\d{1,12})\.([A-Za-z0-9_-]{11})/?$")


@lru_cache(maxsize=8)
def derive_key(secret: str | bytes) -> bytes:
    """A key for labels only, so a label signature reveals nothing usable about session signing."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, b"order-helper label signing v1", hashlib.sha256).digest()


def current_key() -> bytes:
    config = current_app.config
    return derive_key(config.get("LABEL_SIGNING_KEY") or config["SECRET_KEY"])


def signature(key: bytes, kind: str, ident: int) -> str:
    mac = hmac.new(key, f"{kind}:{ident}".encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def location_token(key: bytes, location_id: int) -> str:
    """The `<id>` part of the label URL: `42.kX3v9QbL0aZ`."""
    return f"{location_id}.{signature(key, LOCATION, location_id)}"


def location_label_url(base: str, key: bytes, location_id: int, code: str | None = None) -> str:
    """The label's URL; with `code`, the printed location code rides along as `?c=<code>`, so a phone
    shows "B-01-01" at once, offline too. It is not signed (the id is): the phone shows it as not yet
    verified until the server has checked the signature, and every reader ignores the query."""
    url = f"{base.rstrip('/')}/s/{LOCATION}/{location_token(key, location_id)}"
    return f"{url}?c={quote(code, safe='')}" if code else url


def read_location_label(key: bytes, scanned: str) -> int:
    """The location id of a scanned label (the full URL, its path, or the bare token); a label whose
    signature does not match is refused with `invalid_location_label`."""
    match = _TOKEN.search((scanned or "").strip().split("?", 1)[0].split("#", 1)[0])
    if match and hmac.compare_digest(match.group(2), signature(key, LOCATION, int(match.group(1)))):
        return int(match.group(1))
    raise LabelRefused(
        "invalid_location_label",
        _("This is not a location label of this system; scan the printed label on the rack."),
        {"location_label": _("not a valid location label")},
    )


# A container label carries the quantity packed in it (`?q=<qty>.<signature>` on a lot label), so the
# phone fills the quantity in; signed like a location, so a hand-written number is told from a print.
_QUANTITY = re.compile(r"^(\d{1,9}(?:\.\d{1,3})?)\.([A-Za-z0-9_-]{11})$")


def quantity_token(key: bytes, sku: str, lot: str, qty: str) -> str:
    """`25.kX3v9QbL0aZ`: the quantity and its signature over the SKU, the lot and the quantity."""
    mac = hmac.new(key, f"qty:{sku}\n{lot}\n{qty}".encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return f"{qty}." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def read_quantity_token(key: bytes, sku: str, lot: str, token: str) -> str:
    """The quantity a container label's `q` carries; a token whose signature does not match is refused
    with `invalid_quantity_label`."""
    match = _QUANTITY.match((token or "").strip())
    if match and hmac.compare_digest(quantity_token(key, sku, lot, match.group(1)), match.group(0)):
        return match.group(1)
    raise LabelRefused(
        "invalid_quantity_label",
        _("The quantity on this label was not printed by this system; count it and type it."),
        {"qty": _("not a printed quantity")},
    )
