"""Inspection use cases: keep a product's checklist, record a first-article or final inspection of a
work order (judged by the checklist), attach photos, and read them back. Each owns its transaction."""

import hashlib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from domain import audit, drawings, events, stage_machine
from domain.errors import DomainError, NotFound
from domain.events.types import InspectionRecorded
from domain.masterdata import Product, Team, Workshop
from domain.orders.models import Order
from domain.production.models import ON_HOLD, OPEN_WORK_ORDER, WorkOrder
from domain.production.stages import advance_order
from domain.quality import inspection_rules, stage_gate
from domain.quality.first_pass_yield import Attempt
from domain.quality.inspections import (
    FIRST_ARTICLE,
    INSPECTION_KINDS,
    ITEM_METHODS,
    ChecklistItem,
    Inspection,
    InspectionChecklist,
    InspectionPhoto,
    InspectionResult,
)
from domain.transactions import write_transaction
from extensions import db

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_TYPES = ("image/png", "image/jpeg")
PHOTOS_PER_INSPECTION = 10


# ---- checklists ----


def checklist_items(product_id: int, kind: str | None = None) -> list[ChecklistItem]:
    """The product's active items, those asked at `kind` when given, in order."""
    query = (
        select(ChecklistItem)
        .join(InspectionChecklist)
        .where(InspectionChecklist.product_id == product_id, ChecklistItem.active.is_(True))
        .order_by(ChecklistItem.seq)
    )
    if kind == FIRST_ARTICLE:
        query = query.where(ChecklistItem.first_article.is_(True))
    elif kind is not None:
        query = query.where(ChecklistItem.final.is_(True))
    return list(db.session.execute(query).scalars())


def save_checklist(product_id: int, items: list[dict[str, Any]], actor: Any) -> InspectionChecklist:
    """Replace the product's checklist items. Items already answered keep their history: inspection
    results carry their own copy of the item."""
    if db.session.get(Product, product_id) is None:
        raise NotFound("product", product_id)
    problems = _item_problems(items)
    if problems:
        raise DomainError("validation_error", _("Some checklist items are not valid."), problems)
    with write_transaction():
        checklist = db.session.execute(
            select(InspectionChecklist).where(InspectionChecklist.product_id == product_id)
        ).scalar_one_or_none() or InspectionChecklist(product_id=product_id)
        for old in checklist.items:
            old.active = False
            old.seq = -old.id  # free the seq numbers for the new list
        db.session.add(checklist)
        db.session.flush()
        for seq, item in enumerate(items, start=1):
            checklist.items.append(
                ChecklistItem(
                    seq=seq,
                    name=item["name"].strip(),
                    method=item.get("method", "measure"),
                    nominal=item.get("nominal"),
                    tol_minus=item.get("tol_minus"),
                    tol_plus=item.get("tol_plus"),
                    unit=(item.get("unit") or "").strip(),
                    first_article=item.get("first_article", True),
                    final=item.get("final", True),
                )
            )
        checklist.updated_by_id = getattr(actor, "id", None)
        audit.record("checklist_saved", "product", product_id, {"items": [None, len(items)]}, actor=actor)
    return checklist


def _item_problems(items: list[dict[str, Any]]) -> dict[str, str]:
    problems = {}
    for i, item in enumerate(items):
        if not (item.get("name") or "").strip():
            problems[f"items.{i}.name"] = _("Name the item.")
        method = item.get("method", "measure")
        if method not in ITEM_METHODS:
            problems[f"items.{i}.method"] = _("measure or check")
        elif method == "measure" and item.get("nominal") is None:
            problems[f"items.{i}.nominal"] = _("A measured item needs its nominal value.")
        for key in ("tol_minus", "tol_plus"):
            if item.get(key) is not None and Decimal(item[key]) < 0:
                problems[f"items.{i}.{key}"] = _("A tolerance is 0 or more.")
    return problems


def _rule_item(item: ChecklistItem) -> inspection_rules.Item:
    return inspection_rules.Item(
        item.id, item.seq, item.name, item.method, item.nominal, item.tol_minus, item.tol_plus, item.unit
    )


# ---- inspections ----


def work_order(number_or_id: str | int, lock: bool = False) -> WorkOrder:
    query = select(WorkOrder).options(selectinload(WorkOrder.product))
    if isinstance(number_or_id, int):
        query = query.where(WorkOrder.id == number_or_id)
    else:
        query = query.where(WorkOrder.number == number_or_id.strip())
    if lock:
        query = query.with_for_update(of=WorkOrder)
    found = db.session.execute(query).scalar_one_or_none()
    if found is None:
        raise NotFound("work order", number_or_id)
    return found


def record_inspection(
    work_order_id: int, kind: str, answers: dict[str, Any], actor: Any, note: str = ""
) -> Inspection:
    """Judge the answers against the product's checklist for `kind` and store the inspection with a
    copy of every item; `attempt` counts this work order's inspections of that kind."""
    if kind not in INSPECTION_KINDS:
        raise DomainError("unknown_inspection_kind", _("first_article or final"), {"kind": _("unknown")})
    with write_transaction():
        order = work_order(work_order_id, lock=True)
        items = [_rule_item(i) for i in checklist_items(order.product_id, kind)]
        verdicts, passed = inspection_rules.judge(items, answers)
        earlier = db.session.execute(
            select(func.count(Inspection.id)).where(
                Inspection.work_order_id == order.id, Inspection.kind == kind
            )
        ).scalar_one()
        inspection = Inspection(
            work_order_id=order.id,
            kind=kind,
            attempt=earlier + 1,
            passed=passed,
            note=note.strip()[:500],
            inspector_id=actor.id,
        )
        for verdict in verdicts:
            item = verdict.item
            inspection.results.append(
                InspectionResult(
                    item_id=item.id,
                    seq=item.seq,
                    name=item.name,
                    method=item.method,
                    nominal=item.nominal,
                    tol_minus=item.tol_minus,
                    tol_plus=item.tol_plus,
                    unit=item.unit,
                    measured=verdict.measured,
                    checked_ok=verdict.checked_ok,
                    passed=verdict.passed,
                )
            )
        db.session.add(inspection)
        db.session.flush()
        failed = [v.item.name for v in verdicts if not v.passed]
        audit.record(
            "inspection",
            "work_order",
            order.id,
            {"kind": kind, "passed": passed, "attempt": inspection.attempt, "failed": failed},
            actor=actor,
        )
        if passed and kind == FIRST_ARTICLE:
            _advance_when_ready(order.order_id, actor)
        events.record(InspectionRecorded(actor.id, inspection.id, order.id, kind, passed))
    return inspection


UNFINISHED = (*OPEN_WORK_ORDER, ON_HOLD)  # a cancelled work order waits for nothing


def _advance_when_ready(order_id: int, actor: Any) -> None:
    """Production moves an order to awaiting QC when its last work order finishes; if the first-article
    inspection was still missing then, the order waited in production, and this pass lets it move on."""
    order = db.session.get(Order, order_id)
    if order is None or order.stage != stage_machine.IN_PRODUCTION:
        return
    unfinished = select(WorkOrder.id).where(WorkOrder.order_id == order_id, WorkOrder.status.in_(UNFINISHED))
    if db.session.execute(unfinished.limit(1)).first() is not None:
        return
    if stage_gate.inspections_passed(order, stage_machine.AWAITING_QC):
        advance_order(order, stage_machine.AWAITING_QC, actor)


def get_inspection(inspection_id: int) -> Inspection:
    found = db.session.execute(
        select(Inspection)
        .options(selectinload(Inspection.results), selectinload(Inspection.photos))
        .where(Inspection.id == inspection_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("inspection", inspection_id)
    return found


def inspections_of(work_order_id: int) -> list[Inspection]:
    return list(
        db.session.execute(
            select(Inspection)
            .options(
                selectinload(Inspection.results),
                selectinload(Inspection.photos),
                selectinload(Inspection.inspector),
            )
            .where(Inspection.work_order_id == work_order_id)
            .order_by(Inspection.at.desc(), Inspection.id.desc())
        ).scalars()
    )


# ---- photos ----


def add_photo(
    inspection_id: int, stream: IO[bytes], filename: str | None, directory: Path, actor: Any
) -> InspectionPhoto:
    """A PNG or JPEG (by content, not by name) of at most 8 MB, stored under a random name."""
    data = stream.read(PHOTO_MAX_BYTES + 1)
    content_type, ext = check_photo(data)
    with write_transaction():
        inspection = get_inspection(inspection_id)
        if len(inspection.photos) >= PHOTOS_PER_INSPECTION:
            message = _("At most %(n)d photos per inspection.", n=PHOTOS_PER_INSPECTION)
            raise DomainError("too_many_photos", message, {"photo": message})
        directory.mkdir(parents=True, exist_ok=True)
        stored_name = secrets.token_hex(16) + ext
        path = directory / stored_name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        try:
            photo = InspectionPhoto(
                inspection_id=inspection.id,
                stored_name=stored_name,
                filename=drawings.display_name(filename, ext),
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by_id=getattr(actor, "id", None),
            )
            db.session.add(photo)
            db.session.flush()
            audit.record(
                "inspection_photo",
                "inspection",
                inspection.id,
                {"photo": [None, photo.filename]},
                actor=actor,
            )
        except Exception:
            path.unlink(missing_ok=True)
            raise
    return photo


@dataclass(frozen=True)
class Photo:
    """A photo as the form sent it: its bytes (at most PHOTO_MAX_BYTES + 1 read) and its name."""

    data: bytes
    filename: str | None


def record_with_photos(
    work_order_id: int,
    kind: str,
    answers: dict[str, Any],
    photos: Sequence[Photo],
    directory: Path,
    actor: Any,
    note: str = "",
) -> Inspection:
    """The inspection form's one action: the inspection and its photos in one transaction, all or
    nothing. The photos are checked before anything is written; when a later part fails, the photo
    files already written go with the rolled-back rows, so no file is left without its row."""
    if len(photos) > PHOTOS_PER_INSPECTION:
        message = _("At most %(n)d photos per inspection.", n=PHOTOS_PER_INSPECTION)
        raise DomainError("too_many_photos", message)
    for photo in photos:
        check_photo(photo.data)
    written: list[Path] = []
    try:
        with write_transaction():
            inspection = record_inspection(work_order_id, kind, answers, actor, note)
            for photo in photos:
                stored = add_photo(inspection.id, BytesIO(photo.data), photo.filename, directory, actor)
                written.append(photo_path(stored, directory))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return inspection


def check_photo(data: bytes) -> tuple[str, str]:
    """(content type, extension) of an acceptable photo; refuses empty, oversized and non-images."""
    if not data:
        raise DomainError("photo_empty", _("The file is empty."), {"photo": _("Choose a photo.")})
    if len(data) > PHOTO_MAX_BYTES:
        message = _("A photo may be at most %(mb)d MB.", mb=PHOTO_MAX_BYTES // (1024 * 1024))
        raise DomainError("photo_too_large", message, {"photo": message}, status=413)
    kind = drawings.sniff(data[:16])
    if kind is None or kind[0] not in PHOTO_TYPES:
        message = _("A photo must be a PNG or JPEG image.")
        raise DomainError("photo_type", message, {"photo": message}, status=415)
    return kind


def photo_path(photo: InspectionPhoto, directory: Path) -> Path:
    return directory / photo.stored_name


# ---- first-pass yield input ----


def yield_attempts(kind: str, since: datetime | None, month_of) -> list[Attempt]:
    """Every inspection of `kind` (since `since`) with its product and workshop, in one query; the
    first-pass rule picks each work order's first."""
    query = (
        select(
            Inspection.work_order_id,
            Inspection.kind,
            Inspection.at,
            Inspection.passed,
            Product.model,
            Workshop.code,
        )
        .join(WorkOrder, WorkOrder.id == Inspection.work_order_id)
        .join(Product, Product.id == WorkOrder.product_id)
        .join(Team, Team.id == WorkOrder.team_id)
        .join(Workshop, Workshop.id == Team.workshop_id)
        .where(Inspection.kind == kind, Inspection.attempt == 1)  # a rework's re-inspection never counts
    )
    if since is not None:
        query = query.where(Inspection.at >= since)
    return [
        Attempt(wo, k, at, passed, month_of(at), model, workshop)
        for wo, k, at, passed, model, workshop in db.session.execute(query)
    ]
