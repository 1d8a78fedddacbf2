"""What a label's QR code holds, and how a scanned text is read back (DESIGN §6).

Payload format (the same text for a plain phone camera, the in-app scanner and a keyboard-wedge scanner)
---------------------------------------------------------------------------------------------------------
Every label of this app is an https URL ``<base>/s/<kind>/<id...>``, where ``<base>`` is the app's public
address (setting ``PUBLIC_BASE_URL``, e.g. ``https://oh.example.cn``; without it, the address the page
was served from). Each ``<id>`` segment is percent-encoded with nothing left safe (JS:
``encodeURIComponent``; a ``/`` inside a SKU code becomes ``%2F``), so split the path on ``/`` first and
decode each segment after.

=====  =======================================  ==========================================================
kind   payload                                   ids (what the parse result carries)
=====  =======================================  ==========================================================
loc    ``<base>/s/loc/<location id>.<sig>``      ``location_id`` (int). ``<sig>`` is 11 characters of
                                                 base64url: an HMAC only the server can check
                                                 (scanning/label_signing.py). Send the whole scanned text
                                                 as ``location_label`` to the stock API; never a bare id.
sku    ``<base>/s/sku/<sku code>``               ``sku``
lot    ``<base>/s/lot/<sku code>/<lot>``         ``sku``, ``lot``
wo     ``<base>/s/wo/<work order number>``       ``work_order``
sn     ``<base>/s/sn/<serial number>``           ``serial``
=====  =======================================  ==========================================================

A container label is a lot label with the quantity packed in it: ``<base>/s/lot/<sku>/<lot>?q=<qty>.<sig>``
(``<sig>`` as a location's, over SKU, lot and quantity). Its result carries ``qty`` (a decimal string);
the phone fills the quantity field with it. A ``q`` whose signature does not check is refused with
``invalid_quantity_label``.

Examples::

    https://oh.example.cn/s/loc/42.kX3v9QbL0aZ
    https://oh.example.cn/s/sku/PP-H1200
    https://oh.example.cn/s/lot/RM%2FPP-01/L240115-A      (SKU "RM/PP-01", lot "L240115-A")
    https://oh.example.cn/s/wo/WO-20260112-0003
    https://oh.example.cn/s/sn/SN000123

Reading rules (``parse_label``):

- A query string or fragment is ignored (but a lot label's ``q``, above); so is one trailing ``/``.
  ``<kind>`` is lower case.
- A text without ``/s/<kind>/`` (an EAN barcode, a supplier's QR, a web address of another site) is a
  *foreign* code: ``parse_label`` returns None and the scanner shows it as "not a label of this app".
- The part before ``/s/`` must be this app's base (``PUBLIC_BASE_URL`` or the address the request came
  to), or empty (a bare path ``/s/sku/PP-H1200`` typed by hand). A location label is also this app's when
  it comes from another address but its signature checks (labels printed before the address changed).
- A location label of this app whose signature does not check raises ``LabelRefused`` with code
  ``invalid_location_label`` (a hand-made or altered label): show the message, never move stock on it.
- A segment count that does not fit the kind (``/s/lot/PP-H1200`` without a lot) is refused with
  ``invalid_label``.

Parse result as JSON (``Label.to_dict()``, also what ``POST /api/v1/scan/decode`` returns per label)::

    {"kind": "lot", "text": "<the scanned text>", "sku": "RM/PP-01", "lot": "L240115-A"}
    {"kind": "loc", "text": "...", "location_id": 42}
"""

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from flask import current_app, has_app_context, has_request_context, request
from flask_babel import gettext as _

from scanning.errors import LabelRefused
from scanning.label_signing import (
    current_key,
    location_label_url,
    quantity_token,
    read_location_label,
    read_quantity_token,
)

LOCATION, SKU, LOT, WORK_ORDER, SERIAL = "loc", "sku", "lot", "wo", "sn"
KINDS = (LOCATION, SKU, LOT, WORK_ORDER, SERIAL)
# What each kind's path segments mean, in order.
ID_NAMES: dict[str, tuple[str, ...]] = {
    LOCATION: ("location_id",),
    SKU: ("sku",),
    LOT: ("sku", "lot"),
    WORK_ORDER: ("work_order",),
    SERIAL: ("serial",),
}
MAX_ID_LENGTH = 64
_LABEL = re.compile(r"^(?P<base>.*?)/s/(?P<kind>loc|sku|lot|wo|sn)/(?P<rest>.+)$")


@dataclass(frozen=True)
class Label:
    """One scanned label of this app: its kind and the ids it names."""

    kind: str
    text: str
    ids: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, **self.ids}


def encode_segment(value: str) -> str:
    return quote(str(value), safe="")


def label_url(base: str, kind: str, *ids: str) -> str:
    """The payload of an unsigned label (sku, lot, wo, sn); location labels come from `location_url`."""
    if kind not in ID_NAMES or kind == LOCATION or len(ids) != len(ID_NAMES[kind]):
        raise ValueError(f"label kind {kind!r} takes {ID_NAMES.get(kind)} ids")
    return f"{base.rstrip('/')}/s/{kind}/" + "/".join(encode_segment(value) for value in ids)


def container_url(base: str, key: bytes, sku: str, lot: str, qty: str) -> str:
    """A lot label that also carries the quantity packed in the container (signed)."""
    return f"{label_url(base, LOT, sku, lot)}?q={quantity_token(key, sku, lot, qty)}"


def location_url(base: str, key: bytes, location_id: int) -> str:
    return location_label_url(base, key, location_id)


def _normal_base(base: str) -> str:
    parts = urlsplit(base.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _invalid_label() -> LabelRefused:
    return LabelRefused(
        "invalid_label",
        _("This label of Order Helper is incomplete or damaged; print it again."),
        {"label": _("not a valid label")},
    )


def read_label(text: str, key: bytes, bases: tuple[str, ...] = ()) -> Label | None:
    """`text` read as this app's label (see the module docstring), None for a foreign code.

    `bases`: the addresses this app's labels carry; empty accepts any address (no setting known)."""
    clean = (text or "").strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    match = _LABEL.match(clean)
    if match is None:
        return None
    kind, base = match.group("kind"), match.group("base")
    ours = not base or not bases or _normal_base(base) in {_normal_base(b) for b in bases}
    if kind == LOCATION:
        return _read_location(text, clean, key, ours)
    if not ours:
        return None
    segments = [unquote(segment) for segment in match.group("rest").split("/")]
    names = ID_NAMES[kind]
    if len(segments) != len(names) or any(not s.strip() or len(s) > MAX_ID_LENGTH for s in segments):
        raise _invalid_label()
    ids = dict(zip(names, segments, strict=True))
    if kind == LOT and (token := _query_value(text, "q")):
        ids["qty"] = read_quantity_token(key, ids["sku"], ids["lot"], token)
    return Label(kind, text.strip(), ids)


def _query_value(text: str, name: str) -> str:
    query = (text or "").strip().split("#", 1)[0].partition("?")[2]
    return (parse_qs(query).get(name) or [""])[0]


def _read_location(text: str, clean: str, key: bytes, ours: bool) -> Label | None:
    try:
        location_id = read_location_label(key, clean)
    except LabelRefused:
        if ours:
            raise
        return None  # another site's /s/loc/ URL: not ours, not a forgery of ours
    return Label(LOCATION, text.strip(), {"location_id": location_id})


def public_base() -> str:
    """The address printed on labels: PUBLIC_BASE_URL, else the one this request came to."""
    configured = current_app.config.get("PUBLIC_BASE_URL") if has_app_context() else None
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return ""


def known_bases() -> tuple[str, ...]:
    bases = []
    if has_app_context() and current_app.config.get("PUBLIC_BASE_URL"):
        bases.append(current_app.config["PUBLIC_BASE_URL"])
    if has_request_context():
        bases.append(request.url_root)
    return tuple(bases)


def parse_label(text: str) -> Label | None:
    """`read_label` with this app's key and addresses (needs an app context)."""
    return read_label(text, current_key(), known_bases())
