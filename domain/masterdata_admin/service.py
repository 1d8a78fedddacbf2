"""Create, change, deactivate and reactivate master-data rows; each call is one audited transaction.

Every write validates through the entity's schema (so a page, the API and a script are held to the
same rules), then checks what only the database knows: duplicates, and references that must exist,
be active and (for a team leader) hold the right role.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from domain import audit
from domain.errors import DomainError, NotFound
from domain.masterdata_admin.entities import ENTITIES, REFERENCE_LABELS, REFERENCE_ORDER, Entity
from domain.masterdata_admin.fields import Reference
from domain.masterdata_admin.rules import reference_problem
from domain.transactions import unit_of_work
from domain.users import User, UserRole
from domain.validation_messages import flatten
from extensions import db

MAX_PER_PAGE = 100
PICK_LIST_LIMIT = 1000  # a pick list longer than this is a search box's job


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: `active` None means active and inactive rows alike; `sort` is a key of the
    entity's `sorts`, "-" in front for descending; `filters` are {reference field: id}."""

    q: str = ""
    active: bool | None = True
    sort: str = ""
    page: int = 1
    per_page: int = 20
    filters: Mapping[str, int] = field(default_factory=dict)


def entity(kind: str) -> Entity:
    try:
        return ENTITIES[kind]
    except KeyError:
        raise NotFound(_("List"), kind) from None


# ---- reads ----


def get(kind: str, row_id: int) -> Any:
    spec = entity(kind)
    row = db.session.get(spec.model, row_id)
    if row is None:
        raise NotFound(str(spec.singular), row_id)
    return row


def page(kind: str, query: ListQuery) -> Pagination:
    spec = entity(kind)
    stmt = db.select(spec.model)
    for relationship in spec.joins:
        stmt = stmt.join(relationship)
    if query.active is not None:
        stmt = stmt.where(spec.model.active.is_(query.active))
    if text := query.q.strip():
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(*(column.ilike(pattern, escape="\\") for column in spec.search)))
    for name, value in query.filters.items():
        if name in spec.references:
            stmt = stmt.where(getattr(spec.model, name) == value)
    stmt = stmt.order_by(*_order(spec, query.sort), spec.model.id)
    stmt = stmt.options(*(selectinload(r) for r in spec.eager))
    per_page = min(max(query.per_page, 1), MAX_PER_PAGE)
    return db.paginate(stmt, page=max(query.page, 1), per_page=per_page, error_out=False, count=True)


def _order(spec: Entity, sort: str) -> list[Any]:
    key = sort.lstrip("-")
    if key not in spec.sorts:
        key, sort = next(iter(spec.sorts)), ""
    column = spec.sorts[key][1]
    return [column.desc() if sort.startswith("-") else column.asc()]


def snapshot(spec: Entity, row: Any) -> dict[str, Any]:
    """The row's editable fields and its active flag, as the audit log and the forms see them."""
    return {name: getattr(row, name) for name in spec.schema().fields} | {"active": row.active}


def pick_list(reference: Reference, current: int | None = None) -> list[tuple[int, str]]:
    """(id, label) of the active rows a reference field may point at, plus its current value even
    if that row has since been deactivated (so an edit form shows what is stored)."""
    model = reference.model
    stmt = db.select(model).where(model.active.is_(True))
    if reference.role is not None:
        stmt = stmt.join(UserRole, UserRole.user_id == User.id).where(UserRole.role == reference.role)
    rows = list(db.session.execute(stmt.order_by(REFERENCE_ORDER[model]).limit(PICK_LIST_LIMIT)).scalars())
    if current is not None and all(r.id != current for r in rows):
        extra = db.session.get(model, current)
        rows += [extra] if extra is not None else []
    label = REFERENCE_LABELS[model]
    return [(r.id, label(r)) for r in rows]


# ---- writes: each one transaction, audited ----


@unit_of_work
def create(kind: str, raw: Mapping[str, Any], actor: Any) -> Any:
    spec = entity(kind)
    data = _load(spec, raw)
    _check(spec, data, changed=set(data), row_id=None)
    row = spec.model(**data)
    with _duplicates_refused(spec):
        db.session.add(row)
        db.session.flush()  # the id, for the audit row
        audit.record(
            f"{spec.name}_create",
            spec.name,
            row.id,
            _masked(spec, audit.diff({}, snapshot(spec, row))),
            actor=actor,
        )
    return row


@unit_of_work
def update(kind: str, row_id: int, raw: Mapping[str, Any], actor: Any) -> Any:
    """Change some fields; fields not in `raw` keep their value. The whole row is validated again,
    so a change cannot leave it invalid (e.g. a latitude without its longitude)."""
    spec = entity(kind)
    row = get(kind, row_id)
    before = snapshot(spec, row)
    editable = {k: v for k, v in before.items() if k != "active"}
    data = _load(spec, {**editable, **raw})
    changed = {name for name, value in data.items() if value != before[name]}
    _check(spec, data, changed=changed, row_id=row.id)
    if not changed:
        return row
    for name in changed:
        setattr(row, name, data[name])
    audit.record(
        f"{spec.name}_update",
        spec.name,
        row.id,
        _masked(spec, audit.diff(before, {n: data[n] for n in changed})),
        actor=actor,
    )
    _flush(spec)
    return row


def _masked(spec: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """Secrets (a robot key) are audited as changed, never with their value."""
    secret = {name for name, f in spec.schema().fields.items() if f.metadata.get("secret")}
    return {k: (["***" if v else v for v in pair] if k in secret else pair) for k, pair in changes.items()}


@unit_of_work
def set_active(kind: str, row_id: int, active: bool, actor: Any) -> Any:
    """Deactivate (hidden from pick lists, kept in history) or reactivate; doing it twice changes nothing.
    A row comes back only if what it points at is still usable."""
    spec = entity(kind)
    row = get(kind, row_id)
    if row.active == active:
        return row
    if active:
        _raise_problems(_reference_problems(spec, snapshot(spec, row), set(spec.references)))
    row.active = active
    action = "reactivate" if active else "deactivate"
    audit.record(f"{spec.name}_{action}", spec.name, row.id, {"active": [not active, active]}, actor=actor)
    _flush(spec)
    return row


# ---- checks ----


def _load(spec: Entity, raw: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return spec.schema().load(dict(raw))
    except ma.ValidationError as error:
        raise DomainError("validation_error", _("Some fields are not valid."), _messages(error)) from None


def _messages(error: ma.ValidationError) -> dict[str, str]:
    """{field: message} in the user's language (marshmallow's own English messages too)."""
    found = flatten(error.messages)
    return {("_schema" if name == "_body" else name): text for name, text in found.items()}


def _check(spec: Entity, data: dict[str, Any], changed: set[str], row_id: int | None) -> None:
    """References are checked only where they change: an old row may keep pointing at a workshop
    deactivated since, but nothing new may be made to point at one."""
    problems = _reference_problems(spec, data, changed & set(spec.references))
    if changed & set(spec.unique) and _duplicate_exists(spec, data, row_id):
        message = _duplicate_message(spec)
        raise DomainError("duplicate", message, {**problems, spec.duplicate_field: message}, status=409)
    _raise_problems(problems)


def _reference_problems(spec: Entity, data: Mapping[str, Any], names: set[str]) -> dict[str, str]:
    problems = {}
    for name in sorted(names):
        if data.get(name) is None:
            continue
        reference = spec.references[name]
        row = db.session.get(reference.model, data[name])
        problem = reference_problem(row, str(reference.metadata.get("label", name)).lower(), reference.role)
        if problem:
            problems[name] = problem
    return problems


def _raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise DomainError("validation_error", _("Some fields are not valid."), problems)


def _duplicate_exists(spec: Entity, data: Mapping[str, Any], row_id: int | None) -> bool:
    stmt = db.select(spec.model.id)
    for name in spec.unique:
        column, value = getattr(spec.model, name), data[name]
        stmt = stmt.where(func.lower(column) == value.lower() if isinstance(value, str) else column == value)
    if row_id is not None:
        stmt = stmt.where(spec.model.id != row_id)
    return db.session.execute(stmt.limit(1)).first() is not None


def _duplicate_message(spec: Entity) -> str:
    return _("A %(what)s with this %(field)s already exists.", what=spec.singular, field=_field_label(spec))


def _field_label(spec: Entity) -> str:
    return str(spec.schema().fields[spec.duplicate_field].metadata.get("label", spec.duplicate_field)).lower()


@contextmanager
def _duplicates_refused(spec: Entity) -> Iterator[None]:
    """Two admins saving the same new code at once: the unique index refuses the second, reported
    the same way as the duplicate found before writing."""
    try:
        yield
    except IntegrityError:
        message = _duplicate_message(spec)
        raise DomainError("duplicate", message, {spec.duplicate_field: message}, status=409) from None


def _flush(spec: Entity) -> None:
    with _duplicates_refused(spec):
        db.session.flush()
