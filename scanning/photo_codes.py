"""A photo's codes sorted for the scanner: this app's labels read, forged ones refused, others named."""

from typing import Any

from flask_babel import gettext as _

from scanning.decoding import decode
from scanning.errors import LabelRefused
from scanning.labels import parse_label


def sort_codes(codes: list[str]) -> dict[str, Any]:
    """`codes` (labels of this app first) split into read labels, refused labels and other codes."""
    labels, refused, others = [], [], []
    for text in codes:
        try:
            label = parse_label(text)
        except LabelRefused as error:
            refused.append({"text": text, "code": error.code, "message": error.message})
            continue
        if label is None:
            others.append(text)
        else:
            labels.append(label.to_dict())
    return {"codes": codes, "labels": labels, "refused": refused, "others": others}


def read_photo(data: bytes) -> dict[str, Any]:
    codes = decode(data)
    if not codes:
        raise LabelRefused(
            "no_code_found",
            _("No code was found in the photo. Hold the phone closer, steady, and avoid glare."),
            {"photo": _("no code found")},
        )
    return sort_codes(codes)
