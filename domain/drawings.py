"""The customer's signed sample drawing (客户签样图, DESIGN §3): checked by content and size, stored under
a random name (never the uploader's file name), every upload kept so the order's history shows them."""

import hashlib
import os
import secrets
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from domain.errors import DomainError
from extensions import db

MAX_BYTES = 10 * 1024 * 1024
# What the first bytes of a file say it is; the uploader's file name and Content-Type are not trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
FIELD = "sample_drawing"


class SampleDrawing(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))  # shown to users and offered on download only
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's own signature, or None when it is not PDF/PNG/JPEG."""
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def display_name(filename: str | None, ext: str) -> str:
    """The uploader's name without any path, control characters or more than 120 characters."""
    base = os.path.basename((filename or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    return (base[:120] or f"drawing{ext}").strip()


def read_checked(stream: IO[bytes], max_bytes: int = MAX_BYTES) -> tuple[bytes, str, str]:
    """The upload's bytes, its real content type and extension; refuses empty, oversized and
    any file that is not a PDF, PNG or JPEG by content."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise DomainError("drawing_empty", _("The file is empty."), {FIELD: _("Choose a file.")})
    if len(data) > max_bytes:
        message = _("The drawing may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024))
        raise DomainError("drawing_too_large", message, {FIELD: message}, status=413)
    kind = sniff(data[:16])
    if kind is None:
        message = _("The drawing must be a PDF, PNG or JPEG file.")
        raise DomainError("drawing_type", message, {FIELD: message}, status=415)
    return data, *kind


def store(
    order_id: int, stream: IO[bytes], filename: str | None, directory: Path, actor: Any
) -> SampleDrawing:
    """Writes the file (owner-readable only) and adds its row to the caller's transaction."""
    data, content_type, ext = read_checked(stream)
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + ext
    path = directory / stored_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    row = SampleDrawing(
        order_id=order_id,
        stored_name=stored_name,
        filename=display_name(filename, ext),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    return row


def file_path(drawing: SampleDrawing, directory: Path) -> Path:
    return directory / drawing.stored_name


def latest_for(order_id: int) -> SampleDrawing | None:
    query = (
        db.select(SampleDrawing)
        .where(SampleDrawing.order_id == order_id)
        .order_by(SampleDrawing.uploaded_at.desc(), SampleDrawing.id.desc())
        .limit(1)
    )
    return db.session.execute(query).scalar_one_or_none()
