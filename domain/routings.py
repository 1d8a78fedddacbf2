"""Routings (DESIGN §2, §4): a product's operations in order, each done in one workshop."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from domain import audit
from domain.errors import DomainError, NotFound
from domain.masterdata import Product, RoutingStep, Workshop
from domain.transactions import unit_of_work
from extensions import db

MAX_SETUP_MINUTES = 7 * 24 * 60  # a setup longer than a week is a typo, not a changeover
SECONDS_PLACES = 2  # RoutingStep.seconds_per_unit is Numeric(10, 2)
MAX_SECONDS = Decimal("1e8")
MAX_TONNAGE = 10_000  # the largest presses are a few thousand tonnes


@dataclass(frozen=True)
class StepInput:
    name: str
    workshop_id: int
    setup_minutes: Any = 0
    seconds_per_unit: Any = Decimal(0)
    transfer_minutes: Any = 0
    min_tonnage: Any = None


# ---- rules ----


def step_problems(step: StepInput, workshops: Mapping[int, Workshop]) -> dict[str, str]:
    """{field: problem} for one step; empty when it is fine."""
    problems: dict[str, str] = {}
    name = (step.name or "").strip()
    if not name:
        problems["name"] = _("Name the operation.")
    elif len(name) > 100:
        problems["name"] = _("At most %(n)s characters.", n=100)
    workshop = workshops.get(step.workshop_id)
    if workshop is None:
        problems["workshop_id"] = _("There is no workshop %(id)s.", id=step.workshop_id)
    elif not workshop.active:
        problems["workshop_id"] = _("Workshop %(code)s is inactive.", code=workshop.code)
    setup = _number(step.setup_minutes)
    if setup is None or setup != setup.to_integral_value() or not 0 <= setup <= MAX_SETUP_MINUTES:
        problems["setup_minutes"] = _("Enter whole minutes from 0 to %(max)s.", max=MAX_SETUP_MINUTES)
    seconds = _number(step.seconds_per_unit)
    if seconds is None or not 0 <= seconds < MAX_SECONDS:
        problems["seconds_per_unit"] = _("Enter seconds per unit, 0 or more.")
    elif _places(seconds) > SECONDS_PLACES:
        problems["seconds_per_unit"] = _("Use at most %(n)s decimal places.", n=SECONDS_PLACES)
    problems.update(_scheduling_problems(step))
    return problems


def _scheduling_problems(step: StepInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    transfer = _number(step.transfer_minutes)
    if transfer is None or transfer != transfer.to_integral_value() or not 0 <= transfer <= MAX_SETUP_MINUTES:
        problems["transfer_minutes"] = _("Enter whole minutes from 0 to %(max)s.", max=MAX_SETUP_MINUTES)
    if step.min_tonnage is not None:
        tons = _number(step.min_tonnage)
        if tons is None or tons != tons.to_integral_value() or not 1 <= tons <= MAX_TONNAGE:
            problems["min_tonnage"] = _("Enter whole tonnes from 1 to %(max)s, or nothing.", max=MAX_TONNAGE)
    return problems


def check_step(step: StepInput, workshops: Mapping[int, Workshop]) -> None:
    if problems := step_problems(step, workshops):
        code = "workshop_unavailable" if set(problems) == {"workshop_id"} else "routing_step_invalid"
        message = next(iter(problems.values())) if len(problems) == 1 else _("Some fields are not valid.")
        raise DomainError(code, message, problems)


def check_new_order(current_ids: Sequence[int], wanted_ids: Sequence[int]) -> None:
    """A reorder lists every step of the routing exactly once."""
    if sorted(current_ids) != sorted(wanted_ids):
        message = _("List every step of this routing exactly once.")
        raise DomainError("routing_order_mismatch", message, {"step_ids": message})


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or not str(value).strip():
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ---- queries ----


def routing_of(product_id: int) -> Product:
    """The product with its steps (in order) and their workshops loaded."""
    product = db.session.execute(
        db.select(Product)
        .where(Product.id == product_id)
        .options(selectinload(Product.routing).selectinload(RoutingStep.workshop))
    ).scalar_one_or_none()
    if product is None:
        raise NotFound(_("Product"), product_id)
    return product


def step_counts(product_ids: Sequence[int]) -> dict[int, int]:
    """{product id: number of routing steps}, one query for the lot."""
    rows = db.session.execute(
        db.select(RoutingStep.product_id, db.func.count(RoutingStep.id))
        .where(RoutingStep.product_id.in_(product_ids))
        .group_by(RoutingStep.product_id)
    )
    return {product_id: count for product_id, count in rows}


def active_workshops() -> list[Workshop]:
    return list(
        db.session.execute(
            db.select(Workshop).where(Workshop.active.is_(True)).order_by(Workshop.code)
        ).scalars()
    )


def step_of(product_id: int, step_id: int) -> RoutingStep:
    return _step_of(routing_of(product_id), step_id)


def snapshot(product: Product) -> dict[str, Any]:
    """JSON-safe routing for audit.diff: one key per position."""
    return {
        f"step {step.seq}": f"{step.name} @ {step.workshop.code}"
        f" ({step.setup_minutes} min + {_text(step.seconds_per_unit)} s/unit)"
        for step in product.routing
    }


def _text(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")


# ---- services: each owns its transaction and audits it ----


@unit_of_work
def add_step(product_id: int, step: StepInput, actor: Any) -> RoutingStep:
    """Append a step at the end of the routing."""
    product = _locked_routing(product_id)
    workshops = _workshops([step.workshop_id])
    check_step(step, workshops)
    before = snapshot(product)
    new = RoutingStep(seq=len(product.routing) + 1, workshop=workshops[step.workshop_id])
    _apply(new, step)
    product.routing.append(new)
    _finish(product, before, actor)
    return new


@unit_of_work
def update_step(product_id: int, step_id: int, step: StepInput, actor: Any) -> RoutingStep:
    product = _locked_routing(product_id)
    target = _step_of(product, step_id)
    workshops = _workshops([step.workshop_id])
    check_step(step, workshops)
    before = snapshot(product)
    _apply(target, step)
    target.workshop = workshops[step.workshop_id]
    _finish(product, before, actor)
    return target


@unit_of_work
def remove_step(product_id: int, step_id: int, actor: Any) -> Product:
    product = _locked_routing(product_id)
    target = _step_of(product, step_id)
    before = snapshot(product)
    product.routing.remove(target)
    db.session.flush()
    _renumber(product, list(product.routing))
    _finish(product, before, actor)
    return product


@unit_of_work
def reorder(product_id: int, step_ids: Sequence[int], actor: Any) -> Product:
    """Put the steps in the order of `step_ids` (every step of the routing, once)."""
    product = _locked_routing(product_id)
    check_new_order([s.id for s in product.routing], step_ids)
    before = snapshot(product)
    by_id = {s.id: s for s in product.routing}
    _renumber(product, [by_id[i] for i in step_ids])
    _finish(product, before, actor)
    return product


@unit_of_work
def move_step(product_id: int, step_id: int, offset: int, actor: Any) -> Product:
    """One place up (-1) or down (+1); at either end nothing moves."""
    ids = [s.id for s in routing_of(product_id).routing]
    if step_id not in ids:
        raise NotFound(_("Routing step"), step_id)
    index = ids.index(step_id)
    other = index + offset
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    return reorder(product_id, ids, actor)


# ---- helpers ----


def _locked_routing(product_id: int) -> Product:
    """Lock the product row (PostgreSQL) so two edits of one routing cannot interleave their seqs."""
    found = db.session.execute(
        db.select(Product.id).where(Product.id == product_id).with_for_update()
    ).first()
    if found is None:
        raise NotFound(_("Product"), product_id)
    return routing_of(product_id)


def _workshops(ids: Sequence[int]) -> dict[int, Workshop]:
    wanted = [i for i in ids if isinstance(i, int)]
    rows = db.session.execute(db.select(Workshop).where(Workshop.id.in_(wanted))).scalars()
    return {w.id: w for w in rows}


def _apply(target: RoutingStep, step: StepInput) -> None:
    target.name = step.name.strip()
    target.setup_minutes = int(Decimal(str(step.setup_minutes)))
    target.seconds_per_unit = Decimal(str(step.seconds_per_unit))
    target.transfer_minutes = int(Decimal(str(step.transfer_minutes)))
    target.min_tonnage = None if step.min_tonnage is None else int(Decimal(str(step.min_tonnage)))


def _renumber(product: Product, ordered: list[RoutingStep]) -> None:
    """Two passes through negative numbers: (product, seq) is unique at every UPDATE, not only at commit."""
    for index, step in enumerate(ordered, start=1):
        step.seq = -index
    db.session.flush()
    for index, step in enumerate(ordered, start=1):
        step.seq = index
    db.session.flush()
    db.session.expire(product, ["routing"])  # reload in the new order


def _step_of(product: Product, step_id: int) -> RoutingStep:
    for step in product.routing:
        if step.id == step_id:
            return step
    raise NotFound(_("Routing step"), step_id)


def _finish(product: Product, before: dict[str, Any], actor: Any) -> None:
    db.session.flush()
    db.session.expire(product, ["routing"])
    after = snapshot(routing_of(product.id))
    audit.record("routing_edit", "product", product.id, _diff(before, after), actor=actor)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """audit.diff, plus the keys that disappeared (a removed line or step) as [old, None]."""
    return audit.diff(before, {**dict.fromkeys(before), **after})
