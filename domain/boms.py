"""BOM versions (DESIGN §2): drafts are edited, one version per product is active, and a version that
is or was active, or that a work order used, never changes again (an edit means a new version)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from domain import audit
from domain.errors import DomainError, NotFound
from domain.masterdata import BomLine, BomVersion, Product, Sku
from domain.transactions import unit_of_work
from extensions import db

DRAFT, ACTIVE, RETIRED = "draft", "active", "retired"
QTY_PLACES = 3  # BomLine.qty_per and scrap_pct are stored with 3 decimals; finer input would be rounded away
MAX_QTY = Decimal("1e11")


@dataclass(frozen=True)
class LineInput:
    """One line as a user gave it: the SKU by id (int) or by code (str)."""

    sku: int | str
    qty_per: Any
    scrap_pct: Any = Decimal(0)

    @property
    def sku_field(self) -> str:
        return "sku_id" if isinstance(self.sku, int) else "sku_code"


# ---- rules (plain values in, a refusal out) ----


def check_editable(version: BomVersion) -> None:
    """Only an unlocked draft may change: an active or retired version may be what an order was
    checked against, and a locked one is what a work order was built from."""
    if version.locked or version.status != DRAFT:
        reason = (
            _("it is used by a work order")
            if version.locked
            else _("it is %(status)s", status=version.status)
        )
        raise DomainError(
            "bom_version_immutable",
            _(
                "BOM version %(version)s can no longer change (%(reason)s); make a new version from it.",
                version=version.version,
                reason=reason,
            ),
            status=409,
        )


def line_problems(qty_per: Any, scrap_pct: Any) -> dict[str, str]:
    """{field: problem} for a line's quantities; empty when both are fine."""
    problems: dict[str, str] = {}
    qty = _decimal(qty_per)
    if qty is None or not qty.is_finite():
        problems["qty_per"] = _("Enter a number.")
    elif qty <= 0 or qty >= MAX_QTY:
        problems["qty_per"] = _("The quantity per unit must be greater than 0.")
    elif _places(qty) > QTY_PLACES:
        problems["qty_per"] = _("Use at most %(n)s decimal places.", n=QTY_PLACES)
    scrap = _decimal(scrap_pct)
    if scrap is None or not scrap.is_finite():
        problems["scrap_pct"] = _("Enter a number.")
    elif not 0 <= scrap < 100:
        problems["scrap_pct"] = _("The scrap allowance must be from 0 up to (not including) 100 %.")
    elif _places(scrap) > QTY_PLACES:
        problems["scrap_pct"] = _("Use at most %(n)s decimal places.", n=QTY_PLACES)
    return problems


def check_lines(lines: Sequence[LineInput], skus: Mapping[int | str, Sku], prefix: str = "lines") -> None:
    """Every problem of every line, at once: quantities, unknown or inactive SKUs, a SKU twice.
    `skus` maps both ids and codes to the SKUs found; field names are `lines.<i>.<field>`."""
    problems: list[tuple[str, str, str]] = []  # (code, field, message)
    seen: set[int] = set()
    for index, line in enumerate(lines):
        where = f"{prefix}.{index}." if prefix else ""
        for field, message in line_problems(line.qty_per, line.scrap_pct).items():
            problems.append(("bom_line_invalid", where + field, message))
        sku = skus.get(line.sku)
        if sku is None:
            message = _("There is no SKU %(sku)s.", sku=line.sku)
            problems.append(("sku_not_found", where + line.sku_field, message))
        elif not sku.active:
            message = _("SKU %(code)s is inactive.", code=sku.code)
            problems.append(("sku_inactive", where + line.sku_field, message))
        elif sku.id in seen:
            message = _("SKU %(code)s is already in this BOM version.", code=sku.code)
            problems.append(("bom_duplicate_sku", where + line.sku_field, message))
        else:
            seen.add(sku.id)
    if problems:
        code, _field, message = problems[0]
        if len(problems) > 1:
            message = _("%(count)s problems in the BOM lines; see each field.", count=len(problems))
        raise DomainError(code, message, {field: text for _c, field, text in problems})


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip()) if value is not None and str(value).strip() else None
    except InvalidOperation:
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ---- queries ----


def get_version(version_id: int) -> BomVersion:
    version = db.session.execute(
        db.select(BomVersion)
        .where(BomVersion.id == version_id)
        .options(selectinload(BomVersion.lines).selectinload(BomLine.sku), selectinload(BomVersion.product))
    ).scalar_one_or_none()
    if version is None:
        raise NotFound(_("BOM version"), version_id)
    return version


def versions_of(product_id: int) -> list[BomVersion]:
    return list(
        db.session.execute(
            db.select(BomVersion)
            .where(BomVersion.product_id == product_id)
            .options(selectinload(BomVersion.lines).selectinload(BomLine.sku))
            .order_by(BomVersion.version.desc())
        ).scalars()
    )


def active_version(product_id: int) -> BomVersion | None:
    return db.session.execute(
        db.select(BomVersion).where(BomVersion.product_id == product_id, BomVersion.status == ACTIVE)
    ).scalar_one_or_none()


def bom_summary(product_ids: Sequence[int]) -> dict[int, tuple[int, int | None]]:
    """{product id: (number of versions, active version number or None)}, one query for the lot."""
    rows = db.session.execute(
        db.select(
            BomVersion.product_id,
            db.func.count(BomVersion.id),
            db.func.max(db.case((BomVersion.status == ACTIVE, BomVersion.version))),
        )
        .where(BomVersion.product_id.in_(product_ids))
        .group_by(BomVersion.product_id)
    )
    return {product_id: (count, active) for product_id, count, active in rows}


def sku_suggestions(limit: int = 2000) -> list[tuple[str, str]]:
    """(code, name) of active SKUs, for the SKU box's suggestions; any code can still be typed."""
    stmt = db.select(Sku.code, Sku.name).where(Sku.active.is_(True)).order_by(Sku.code).limit(limit)
    return [(code, name) for code, name in db.session.execute(stmt)]


def snapshot(version: BomVersion) -> dict[str, Any]:
    """JSON-safe state for audit.diff: status, lock and one key per line."""
    state: dict[str, Any] = {"status": version.status, "locked": version.locked}
    for line in version.lines:
        state[f"line {line.sku.code}"] = f"{_text(line.qty_per)} +{_text(line.scrap_pct)}%"
    return state


def _text(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")


# ---- services: each owns its transaction and audits it ----


@unit_of_work
def create_version(product_id: int, lines: Sequence[LineInput], actor: Any) -> BomVersion:
    """A new draft for the product, numbered after its highest version."""
    product = _product_for_update(product_id)
    skus = _skus_for(lines)
    check_lines(lines, skus)
    version = BomVersion(product=product, version=_next_number(product.id), status=DRAFT)
    version.lines = [_new_line(line, skus) for line in lines]
    db.session.add(version)
    _flush_or_conflict()
    audit.record("bom_create", "bom_version", version.id, _creation(version), actor=actor)
    return version


@unit_of_work
def copy_version(version_id: int, actor: Any) -> BomVersion:
    """'New version from this one': a draft with the same lines, whatever the source's state."""
    source = get_version(version_id)
    _product_for_update(source.product_id)
    version = BomVersion(product_id=source.product_id, version=_next_number(source.product_id), status=DRAFT)
    version.lines = [BomLine(sku=ln.sku, qty_per=ln.qty_per, scrap_pct=ln.scrap_pct) for ln in source.lines]
    db.session.add(version)
    _flush_or_conflict()
    changes = {**_creation(version), "copied_from": [None, source.version]}
    audit.record("bom_copy", "bom_version", version.id, changes, actor=actor)
    return version


@unit_of_work
def replace_lines(version_id: int, lines: Sequence[LineInput], actor: Any) -> BomVersion:
    version = get_version(version_id)
    check_editable(version)
    skus = _skus_for(lines)
    check_lines(lines, skus)
    before = snapshot(version)
    version.lines = []
    db.session.flush()  # the old rows go first: the new ones may reuse their (bom, sku) pairs
    version.lines = [_new_line(line, skus) for line in lines]
    return _finish("bom_edit", version, before, actor)


@unit_of_work
def add_line(version_id: int, line: LineInput, actor: Any) -> BomVersion:
    version = get_version(version_id)
    check_editable(version)
    skus = _skus_for([line])
    check_lines([line], skus, prefix="")
    sku = skus[line.sku]
    if any(existing.sku_id == sku.id for existing in version.lines):
        message = _("SKU %(code)s is already in this BOM version.", code=sku.code)
        raise DomainError("bom_duplicate_sku", message, {line.sku_field: message})
    before = snapshot(version)
    version.lines.append(_new_line(line, skus))
    return _finish("bom_edit", version, before, actor)


@unit_of_work
def update_line(version_id: int, line_id: int, qty_per: Any, scrap_pct: Any, actor: Any) -> BomVersion:
    version = get_version(version_id)
    check_editable(version)
    line = _line_of(version, line_id)
    if problems := line_problems(qty_per, scrap_pct):
        raise DomainError("bom_line_invalid", next(iter(problems.values())), problems)
    before = snapshot(version)
    line.qty_per, line.scrap_pct = _decimal(qty_per), _decimal(scrap_pct)
    return _finish("bom_edit", version, before, actor)


@unit_of_work
def remove_line(version_id: int, line_id: int, actor: Any) -> BomVersion:
    version = get_version(version_id)
    check_editable(version)
    before = snapshot(version)
    version.lines.remove(_line_of(version, line_id))
    return _finish("bom_edit", version, before, actor)


@unit_of_work
def activate(version_id: int, actor: Any) -> BomVersion:
    """The draft becomes the product's active version; the one active until now is retired."""
    version = get_version(version_id)
    _product_for_update(version.product_id)
    check_editable(version)
    if not version.lines:
        raise DomainError(
            "bom_version_empty", _("An empty BOM cannot be activated; add its lines first."), status=409
        )
    before = snapshot(version)
    previous = active_version(version.product_id)
    if previous is not None:
        previous.status = RETIRED
        audit.record("bom_retire", "bom_version", previous.id, {"status": [ACTIVE, RETIRED]}, actor=actor)
        _flush_or_conflict()  # retire first: the database allows one active version per product
    version.status = ACTIVE
    return _finish("bom_activate", version, before, actor)


@unit_of_work
def delete_draft(version_id: int, actor: Any) -> int:
    """Throw away a draft nobody used; returns the product id."""
    version = get_version(version_id)
    check_editable(version)
    gone = {key: [value, None] for key, value in snapshot(version).items()}
    audit.record(
        "bom_delete", "bom_version", version.id, {"version": [version.version, None], **gone}, actor=actor
    )
    product_id = version.product_id
    db.session.delete(version)
    return product_id


def lock_bom_version(version: BomVersion) -> None:
    """A work order uses this version: from now on it never changes. Runs inside the caller's
    transaction (converting an order to production), which commits and audits it."""
    version.locked = True


# ---- helpers ----


def _finish(action: str, version: BomVersion, before: dict[str, Any], actor: Any) -> BomVersion:
    _flush_or_conflict()
    after = snapshot(version)
    audit.record(action, "bom_version", version.id, _diff(before, after), actor=actor)
    return version


def _flush_or_conflict() -> None:
    """A unique index refusing the write (two versions numbered alike, two active) means another admin
    changed this product's BOMs at the same moment: a 409 to retry, not a server error."""
    try:
        db.session.flush()
    except IntegrityError as error:
        message = _("Someone else changed this product's BOMs at the same moment; reload and try again.")
        raise DomainError("bom_changed_meanwhile", message, status=409) from error


def _creation(version: BomVersion) -> dict[str, Any]:
    return {
        "product": [None, version.product.model],
        "version": [None, version.version],
        **audit.diff({}, snapshot(version)),
    }


def _product_for_update(product_id: int) -> Product:
    """The product row, locked on PostgreSQL so two admins cannot number or activate at once."""
    product = db.session.execute(
        db.select(Product).where(Product.id == product_id).with_for_update()
    ).scalar_one_or_none()
    if product is None:
        raise DomainError(
            "product_not_found",
            _("There is no product %(id)s.", id=product_id),
            {"product_id": _("Not found.")},
        )
    return product


def _next_number(product_id: int) -> int:
    highest = db.session.execute(
        db.select(db.func.max(BomVersion.version)).where(BomVersion.product_id == product_id)
    ).scalar()
    return (highest or 0) + 1


def _skus_for(lines: Sequence[LineInput]) -> dict[int | str, Sku]:
    """One query for every SKU the lines name, keyed by id and by code."""
    ids = {ln.sku for ln in lines if isinstance(ln.sku, int)}
    codes = {ln.sku for ln in lines if isinstance(ln.sku, str)}
    if not ids and not codes:
        return {}
    rows = db.session.execute(db.select(Sku).where(Sku.id.in_(ids) | Sku.code.in_(codes))).scalars()
    found: dict[int | str, Sku] = {}
    for sku in rows:
        found[sku.id] = sku
        found[sku.code] = sku
    return found


def _new_line(line: LineInput, skus: Mapping[int | str, Sku]) -> BomLine:
    return BomLine(sku=skus[line.sku], qty_per=_decimal(line.qty_per), scrap_pct=_decimal(line.scrap_pct))


def _line_of(version: BomVersion, line_id: int) -> BomLine:
    for line in version.lines:
        if line.id == line_id:
            return line
    raise NotFound(_("BOM line"), line_id)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """audit.diff, plus the keys that disappeared (a removed line or step) as [old, None]."""
    return audit.diff(before, {**dict.fromkeys(before), **after})
