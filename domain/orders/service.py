"""Order use cases (DESIGN §3): create and edit, submit through the compliance engine, move through
the stage machine, upload the sample drawing. Each function owns its transaction and audits it."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from domain import audit, clock, drawings, roles, stage_machine
from domain.errors import Conflict, DomainError, NotFound
from domain.masterdata import BomVersion, Customer, PriceListEntry, Product
from domain.orders import changes, compliance, compliance_rules
from domain.orders.changes import ChangeNotice
from domain.orders.models import FLAME_GRADES, PRIORITIES, Order, OrderStageEvent, next_order_number
from domain.quality.stage_gate import require_inspections
from domain.transactions import unit_of_work
from extensions import db

# Fields an order carries besides its identity; customer and product are given by code and model.
EDITABLE = (
    "quantity",
    "unit_price",
    "price_override_reason",
    "due_date",
    "priority",
    "flame_grade",
    "packaging",
    "color_notes",
    "original_ref",
)
# A change to one of these after confirmation is a customer spec change (DESIGN §3.2).
SPEC_FIELDS = ("quantity", "due_date", "flame_grade", "packaging", "color_notes", "sample_drawing")
LOCKED_AFTER_QUOTE = ("customer_code", "product_model")

# Who may move an order into each stage; quote → confirmed goes through submit_order.
TRANSITION_ROLES = {
    stage_machine.CONFIRMED: {roles.SALES, roles.ADMIN},
    stage_machine.SCHEDULING: {roles.PLANNER, roles.ADMIN},
    stage_machine.IN_PRODUCTION: {roles.PLANNER, roles.LEADER, roles.ADMIN},
    stage_machine.AWAITING_QC: {roles.PLANNER, roles.LEADER, roles.ADMIN},
    stage_machine.SHIPPED: {roles.QC, roles.WAREHOUSE, roles.ADMIN},
    stage_machine.ON_HOLD: {roles.SALES, roles.PLANNER, roles.VP, roles.ADMIN},
    stage_machine.CANCELLED: {roles.SALES, roles.PLANNER, roles.VP, roles.ADMIN},
}
# Everyone but sales sees every order; a salesperson sees the orders they created (their customers).
SEE_ALL_ROLES = frozenset(
    {
        roles.ADMIN,
        roles.VP,
        roles.PLANNER,
        roles.WAREHOUSE,
        roles.SUPERVISOR,
        roles.LEADER,
        roles.QC,
        roles.CS,
        roles.SERVICE,
    }
)
ORDER_ROLES = SEE_ALL_ROLES | {roles.SALES}
# The customer's signed drawing is their design: only those who sell, plan, make or check the product.
DRAWING_ROLES = frozenset({roles.ADMIN, roles.VP, roles.SALES, roles.PLANNER, roles.LEADER, roles.QC})


# ---- time ----


def plant_today() -> date:
    return clock.plant_today()


def plant_month(at: datetime) -> str:
    return clock.plant_month(at)


# ---- who may see what ----


def may_view(user: Any, order: Order) -> bool:
    if user.has_any_role(SEE_ALL_ROLES):
        return True
    return roles.SALES in user.roles and order.created_by_id == user.id


def may_see_drawing(user: Any, order: Order) -> bool:
    return user.has_any_role(DRAWING_ROLES) and may_view(user, order)


def get_order(order_id: int, user: Any) -> Order:
    order = load_order(order_id)
    if not may_view(user, order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    return order


def load_order(order_id: int, lock: bool = False) -> Order:
    """The order with its customer and product (locked for update with `lock`), whoever asks."""
    query = (
        select(Order)
        .options(joinedload(Order.customer), joinedload(Order.product))
        .where(Order.id == order_id)
    )
    order = db.session.execute(query.with_for_update(of=Order) if lock else query).scalar_one_or_none()
    if order is None:
        raise NotFound("order", order_id)
    return order


# ---- input ----


def _resolve(data: dict[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    """Customer code and product model → rows; a code that does not exist is a field error."""
    out: dict[str, Any] = {}
    if "customer_code" in data:
        code = (data["customer_code"] or "").strip()
        out["customer"] = db.session.execute(
            select(Customer).where(Customer.code == code)
        ).scalar_one_or_none()
        if out["customer"] is None:
            problems["customer_code"] = _("There is no customer with code %(code)s.", code=code)
    if "product_model" in data:
        model = (data["product_model"] or "").strip()
        out["product"] = db.session.execute(
            select(Product).where(Product.model == model)
        ).scalar_one_or_none()
        if out["product"] is None:
            problems["product_model"] = _("There is no product model %(model)s.", model=model)
    return out


def _values(data: dict[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    values = {k: data[k] for k in EDITABLE if k in data}
    for key in ("price_override_reason", "packaging", "color_notes", "original_ref"):
        if key in values and isinstance(values[key], str):
            values[key] = values[key].strip() or None
    if values.get("priority") not in (None, *PRIORITIES):
        problems["priority"] = _("Priority is A, B or C.")
    if values.get("flame_grade") not in (None, "", *FLAME_GRADES):
        problems["flame_grade"] = _("Choose one of %(grades)s.", grades=", ".join(FLAME_GRADES))
    if values.get("flame_grade") == "":
        values["flame_grade"] = None
    if "priority" in values and values["priority"] is None:
        del values["priority"]
    return values


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise DomainError("validation_error", _("Some fields are not valid."), problems)


def list_price(customer_id: int, product_id: int) -> Decimal | None:
    query = select(PriceListEntry.unit_price).where(
        PriceListEntry.customer_id == customer_id,
        PriceListEntry.product_id == product_id,
        PriceListEntry.active.is_(True),
    )
    return db.session.execute(query).scalar_one_or_none()


def _snapshot(order: Order) -> dict[str, Any]:
    return {
        "customer_code": order.customer.code if order.customer else None,
        "product_model": order.product.model if order.product else None,
        **{k: getattr(order, k) for k in EDITABLE},
    }


# ---- create and edit ----


@unit_of_work
def create_order(data: dict[str, Any], actor: Any, today: date) -> Order:
    problems: dict[str, str] = {}
    for key in ("customer_code", "product_model", "due_date"):
        if data.get(key) in (None, ""):
            problems[key] = _("Missing data for required field.")
    rows = _resolve({k: v for k, v in data.items() if k not in problems}, problems)
    values = _values(data, problems)
    _raise(problems)
    order = Order(customer=rows["customer"], product=rows["product"], created_by_id=actor.id, stage="quote")
    values.setdefault("quantity", Decimal(0))
    for key, value in values.items():
        setattr(order, key, value)
    if order.unit_price is None:  # DESIGN §3.1 (8): the price list's price unless overridden
        order.unit_price = list_price(order.customer.id, order.product.id)
    order.stage_events.append(OrderStageEvent(from_stage=None, to_stage="quote", user_id=actor.id))
    _insert_with_number(order, today)
    audit.record("order_create", "order", order.id, audit.diff({}, _snapshot(order)), actor=actor)
    return order


def _insert_with_number(order: Order, today: date, attempts: int = 5) -> None:
    """Numbers are the day's next serial; a concurrent creation that took it makes us try the next."""
    for _attempt in range(attempts):
        order.number = next_order_number(today)
        try:
            with db.session.begin_nested():
                db.session.add(order)
                db.session.flush()
            return
        except IntegrityError:
            continue
    raise Conflict("number_taken", _("Could not number the order; please try again."))


@unit_of_work
def update_order(
    order_id: int, data: dict[str, Any], actor: Any, today: date, locale: str, note: str = ""
) -> tuple[Order, ChangeNotice | None]:
    """A quote is edited freely. After confirmation customer and model are fixed, and a change to the
    spec is a customer change record everyone affected must acknowledge (DESIGN §3.2)."""
    order = load_order(order_id, lock=True)
    if not may_view(actor, order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    if order.stage in stage_machine.FINAL_STAGES:
        raise Conflict("order_closed", _("A shipped or cancelled order cannot change."))
    problems: dict[str, str] = {}
    if order.stage != stage_machine.QUOTE:
        for key in LOCKED_AFTER_QUOTE:
            if key in data and data[key] != _snapshot(order)[key]:
                problems[key] = _("Fixed once the order is confirmed; cancel it and enter a new one.")
    rows = _resolve(data, problems) if order.stage == stage_machine.QUOTE else {}
    values = _values(data, problems)
    _raise(problems)
    before = _snapshot(order)
    for key, value in {**rows, **values}.items():
        setattr(order, key, value)
    if order.stage == stage_machine.QUOTE and order.unit_price is None:  # as on creation
        order.unit_price = list_price(order.customer.id, order.product.id)
    db.session.flush()
    diff = audit.diff(before, _snapshot(order))
    if not diff:
        return order, None
    notice = None
    if order.stage != stage_machine.QUOTE:
        _check_changed_fields(order, set(diff), today, locale)
        spec = {k: v for k, v in diff.items() if k in SPEC_FIELDS}
        if spec:
            notice = changes.record_spec_change(order, spec, note.strip()[:2000], actor)
    audit.record("order_edit", "order", order.id, diff, actor=actor)
    return order, notice


def _check_changed_fields(order: Order, changed: set[str], today: date, locale: str) -> None:
    """A confirmed order stays compliant: the rules about the changed fields must still pass."""
    rules = [r for r in compliance_rules.active_rules() if r.field in changed]
    failures = compliance.evaluate(rules, facts_for(order, today), locale)
    if failures:
        raise _compliance_error(failures)


# ---- compliance ----


def facts_for(order: Order, today: date) -> compliance.OrderFacts:
    customer, product = order.customer, order.product
    active_bom = select(BomVersion.id).where(
        BomVersion.product_id == product.id, BomVersion.status == "active"
    )
    has_drawing = select(drawings.SampleDrawing.id).where(drawings.SampleDrawing.order_id == order.id)
    return compliance.OrderFacts(
        values={**_snapshot(order)},
        has_drawing=db.session.execute(has_drawing.limit(1)).first() is not None,
        customer_ok=customer is not None and customer.active and not customer.blocked,
        product_ok=product is not None
        and product.active
        and db.session.execute(active_bom.limit(1)).first() is not None,
        list_price=list_price(customer.id, product.id),
        today=today,
    )


def check_order(order: Order, today: date, locale: str) -> list[compliance.Failure]:
    return compliance.evaluate(compliance_rules.active_rules(), facts_for(order, today), locale)


def _compliance_error(failures: list[compliance.Failure]) -> DomainError:
    error = DomainError(
        "compliance_failed",
        _("The order is missing information: %(count)d rules failed.", count=len(failures)),
        compliance.fields_of(failures),
    )
    error.details = {"rules": [f.as_dict() for f in failures]}
    return error


def submit_order(order_id: int, actor: Any, today: date, locale: str) -> Order:
    """quote → confirmed when every active rule passes; otherwise every failed rule at once (422).
    Either way the attempt is logged for the missing-information rate: the refusal is raised after
    the transaction that logged it has committed."""
    order, failures = _submit(order_id, actor, today, locale)
    if failures:
        raise _compliance_error(failures)
    return order


@unit_of_work
def _submit(order_id: int, actor: Any, today: date, locale: str) -> tuple[Order, list[compliance.Failure]]:
    order = load_order(order_id, lock=True)
    if not may_view(actor, order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    stage_machine.check_transition(order.stage, stage_machine.CONFIRMED)
    failures = check_order(order, today, locale)
    compliance_rules.log_submission(order.id, actor, failures, plant_month(datetime.now(UTC)))
    if failures:
        audit.record(
            "order_submit_refused",
            "order",
            order.id,
            {"failed": [None, [f.code for f in failures]]},
            actor=actor,
        )
        return order, failures
    _move(order, stage_machine.CONFIRMED, actor)
    return order, failures


# ---- stages ----


def transition(
    order_id: int, to_stage: str, actor: Any, today: date, locale: str, reason: str | None = None
) -> Order:
    """One stage forward; a hold or cancel (with its reason) goes through domain/orders/stops.py."""
    from domain.orders import stops as order_stops  # it reads orders through this module

    if to_stage == stage_machine.CONFIRMED:
        return submit_order(order_id, actor, today, locale)
    if to_stage == stage_machine.CANCELLED:
        return order_stops.cancel_order(order_id, reason or "", actor)
    if to_stage == stage_machine.ON_HOLD:
        return order_stops.hold_order(order_id, reason or "", actor)
    return _advance(order_id, to_stage, actor)


@unit_of_work
def _advance(order_id: int, to_stage: str, actor: Any) -> Order:
    order = load_order(order_id, lock=True)
    if not may_view(actor, order):
        raise DomainError("forbidden", _("This order belongs to another salesperson."), status=403)
    stage_machine.check_transition(order.stage, to_stage)
    if not actor.has_any_role(TRANSITION_ROLES[to_stage]):
        raise DomainError(
            "forbidden_transition",
            _("Your role cannot move an order to %(stage)s.", stage=stage_machine.STAGE_LABELS[to_stage]),
            status=403,
        )
    require_inspections(order, to_stage)  # awaiting QC / shipped need passed inspections (DESIGN §7)
    _move(order, to_stage, actor)
    return order


def _move(order: Order, to_stage: str, actor: Any) -> None:
    """Every transition is timestamped, attributed and audited in the caller's transaction."""
    event = OrderStageEvent(from_stage=order.stage, to_stage=to_stage, user_id=actor.id)
    order.stage_events.append(event)
    audit.record("order_stage", "order", order.id, {"stage": [order.stage, to_stage]}, actor=actor)
    order.stage = to_stage


# ---- the sample drawing ----


def upload_drawing(
    order_id: int, stream: IO[bytes], filename: str | None, directory: Path, actor: Any, note: str = ""
) -> tuple[drawings.SampleDrawing, ChangeNotice | None]:
    order = load_order(order_id, lock=True)
    if not may_see_drawing(actor, order):
        raise DomainError("forbidden", _("Your role cannot handle this order's drawing."), status=403)
    if order.stage in stage_machine.FINAL_STAGES:
        raise Conflict("order_closed", _("A shipped or cancelled order cannot change."))
    previous = drawings.latest_for(order.id)
    drawing = drawings.store(order.id, stream, filename, directory, actor)
    try:
        db.session.flush()
        notice = None
        if order.stage != stage_machine.QUOTE:
            old = previous.filename if previous else None
            notice = changes.record_spec_change(
                order, {"sample_drawing": [old, drawing.filename]}, note, actor
            )
        audit.record(
            "drawing_upload",
            "order",
            order.id,
            {"sample_drawing": [None, drawing.filename], "sha256": [None, drawing.sha256]},
            actor=actor,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        drawings.file_path(drawing, directory).unlink(missing_ok=True)  # no file without its row
        raise
    return drawing, notice


def drawing_for_download(order_id: int, drawing_id: int | None, user: Any) -> drawings.SampleDrawing:
    order = load_order(order_id)
    if not may_see_drawing(user, order):
        raise DomainError("forbidden", _("Your role cannot see this order's drawing."), status=403)
    if drawing_id is None:
        drawing = drawings.latest_for(order_id)
    else:
        drawing = db.session.get(drawings.SampleDrawing, drawing_id)
    if drawing is None or drawing.order_id != order_id:
        raise NotFound("drawing", drawing_id or order_id)
    return drawing
