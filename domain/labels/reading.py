"""Scanned text and photos read as this app's labels, scanning/'s refusals turned into DomainErrors."""

from typing import Any

from domain.errors import leaf_refusals
from scanning import photo_codes
from scanning.labels import Label, parse_label


def read_label(text: str) -> Label | None:
    """The app's label in `text` (None for a foreign code); a damaged or forged one is refused."""
    with leaf_refusals():
        return parse_label(text)


def read_photo(data: bytes) -> dict[str, Any]:
    """Every code in the photo, sorted into this app's labels, refused labels and other codes."""
    with leaf_refusals():
        return photo_codes.read_photo(data)
