"""Scanned text and photos read as this app's labels, scanning/'s refusals turned into DomainErrors."""

from typing import Any

from flask_babel import gettext as _

from domain import audit
from domain.errors import DomainError, leaf_refusals
from scanning import photo_codes
from scanning.labels import LOT, Label, parse_label


def read_label(text: str) -> Label | None:
    """The app's label in `text` (None for a foreign code); a damaged or forged one is refused."""
    with leaf_refusals():
        return parse_label(text)


def read_photo(data: bytes) -> dict[str, Any]:
    """Every code in the photo, sorted into this app's labels, refused labels and other codes."""
    with leaf_refusals():
        return photo_codes.read_photo(data)


def checked_container(text: str, actor: Any) -> dict[str, str]:
    """A lot or container label's SKU, lot and (when printed) quantity, its signature checked. A
    hand-written quantity is worth knowing about (DESIGN §6: refusals audited), so it is audited even
    though it is refused."""
    try:
        label = read_label(text)
    except DomainError as refusal:
        if refusal.code == "invalid_quantity_label":
            audit.record_refusal("label_refused", "container_label", {"label": text[:200]}, actor=actor)
        raise
    if label is None or label.kind != LOT:
        raise DomainError(
            "invalid_label", _("This is not a lot or container label."), {"label": _("not a lot label")}
        )
    return label.ids
