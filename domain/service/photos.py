"""Photos taken on site: checked by content (JPEG, PNG or WebP) and size, stored under a random name
with owner-only permissions, outside anything the web server serves directly."""

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from domain.errors import DomainError
from domain.service.tickets import ServicePhoto, ServiceTicket
from extensions import db

MAX_BYTES = 8 * 1024 * 1024
FIELD = "photo"
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the bytes themselves; the name and Content-Type are not trusted."""
    for magic, content_type, ext in SIGNATURES:
        if data.startswith(magic):
            return content_type, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def check_photo(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    if not data:
        raise DomainError("photo_empty", _("The photo is empty."), {FIELD: _("Take or choose a photo.")})
    if len(data) > max_bytes:
        message = _("A photo may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024))
        raise DomainError("photo_too_large", message, {FIELD: message}, status=413)
    kind = sniff(data[:16])
    if kind is None:
        message = _("The photo must be a JPEG, PNG or WebP image.")
        raise DomainError("photo_type", message, {FIELD: message}, status=415)
    return kind


def store_photo(
    ticket: ServiceTicket, data: bytes, caption: str, directory: Path, actor: Any
) -> ServicePhoto:
    """Writes the file and adds its row to the caller's transaction (a failed transaction leaves an
    unreferenced file behind, never a row without its file)."""
    content_type, ext = check_photo(data)
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + ext
    fd = os.open(directory / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    photo = ServicePhoto(
        stored_name=stored_name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=(caption or "").strip()[:200],
        uploaded_by_id=getattr(actor, "id", None),
    )
    ticket.photos.append(photo)
    db.session.flush()
    return photo


def photo_path(photo: ServicePhoto, directory: Path) -> Path:
    return directory / photo.stored_name
