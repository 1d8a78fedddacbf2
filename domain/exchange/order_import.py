"""Orders in from the plant's XLSX sheet (DESIGN §10): every row is checked like an API request, and a
file with any bad row changes nothing.

Two passes over the file, streamed (openpyxl read_only), so memory stays flat however many rows:
1. check every row, holding no lock, and collect each bad cell (row, column header, message);
2. only if none was bad: read it again inside one write transaction, check each row again against the
   data as it is now (another user may have changed it in between), and write. A row found bad in the
   second pass rolls the whole transaction back. A file whose rows are all stored as they are already
   is not read a second time.
Rows are matched to stored orders by 订单号 (or, for rows the old sheet added, by the customer's
原始订单号), so importing the same file twice changes nothing the second time.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from domain import audit
from domain.audit import AuditLog
from domain.errors import DomainError
from domain.exchange.order_rows import (
    CREATE,
    STORED,
    UPDATE,
    CellError,
    Existing,
    Known,
    Party,
    Plan,
    check_row,
    row_key,
)
from domain.exchange.order_sheet import ORDER_COLUMNS, TITLES
from domain.exchange.sheets import MissingColumns, Row, cell_text, mapped_rows, open_xlsx, sheet_table
from domain.masterdata import BomVersion, Customer, PriceListEntry, Product
from domain.orders import compliance_rules
from domain.orders.models import Order, OrderStageEvent, next_order_number, number_prefix
from domain.orders.service import SEE_ALL_ROLES
from domain.transactions import write_transaction
from extensions import db

CHUNK = 500
ERRORS_KEPT = 1000  # shown to the user; the count is always complete
CHECKING, APPLYING = "checking", "applying"
Progress = Callable[[str, int], None]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[CellError] = field(default_factory=list)
    applied: bool = False

    def add_errors(self, errors: Iterable[CellError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < ERRORS_KEPT:
                self.errors.append(error)


class _SecondPassRefused(Exception):
    """A row turned bad between the passes: roll the transaction back."""


def _no_progress(_phase: str, _done: int) -> None:
    return None


class OrderSheet:
    """The order sheet of a workbook, opened once and read once per pass."""

    def __init__(self, path: Path | IO[bytes]):
        self.book = open_xlsx(path)
        self.sheet = self._find()

    def _find(self) -> Any:
        """The first sheet whose header is the order sheet's."""
        missing: MissingColumns | None = None
        for ws in self.book.worksheets:
            try:
                mapped_rows(sheet_table(ws), ORDER_COLUMNS)
                return ws
            except MissingColumns as error:
                missing = missing or error
        self.book.close()
        columns = str(missing) if missing else ""
        raise DomainError("missing_columns", _("The sheet lacks the column(s): %(columns)s", columns=columns))

    @property
    def size_hint(self) -> int | None:
        """Rows the sheet says it holds (header included), when it says so."""
        return self.sheet.max_row

    def rows(self) -> Iterator[Row]:
        return mapped_rows(sheet_table(self.sheet), ORDER_COLUMNS)[1]

    def close(self) -> None:
        self.book.close()


def import_orders(
    path: Path | OrderSheet,
    actor: Any,
    today: date,
    locale: str,
    progress: Progress = _no_progress,
    source: str = "",
) -> ImportResult:
    sheet = path if isinstance(path, OrderSheet) else OrderSheet(path)
    try:
        return _import(sheet, actor, today, locale, progress, source)
    finally:
        sheet.close()


def _import(
    sheet: OrderSheet, actor: Any, today: date, locale: str, progress: Progress, source: str
) -> ImportResult:
    checked = ImportResult()
    _pass(sheet.rows(), _known(actor, today, locale), checked, progress, CHECKING, apply=None)
    if checked.error_count or not (checked.created or checked.updated):
        checked.applied = not checked.error_count  # nothing to write: every row is stored as it is
        return checked
    result = ImportResult()
    progress(APPLYING, 0)  # before the write lock, while the phase can still be recorded (SQLite)
    try:
        with write_transaction():  # numbers are taken under the write lock (SQLite) / in the transaction
            writer = _Writer(actor, today, source)
            _pass(sheet.rows(), _known(actor, today, locale), result, progress, APPLYING, apply=writer)
            if result.error_count:
                raise _SecondPassRefused
    except _SecondPassRefused:
        return result
    result.applied = True
    return result


def _known(actor: Any, today: date, locale: str) -> Known:
    active_bom = select(BomVersion.product_id).where(BomVersion.status == "active")
    customers = {
        code: Party(cid, code, active and not blocked)
        for cid, code, active, blocked in db.session.execute(
            select(Customer.id, Customer.code, Customer.active, Customer.blocked)
        )
    }
    with_bom = set(db.session.scalars(active_bom))
    products = {
        model: Party(pid, model, bool(active) and pid in with_bom)
        for pid, model, active in db.session.execute(select(Product.id, Product.model, Product.active))
    }
    return Known(
        customers,
        products,
        {},
        compliance_rules.active_rules(),
        today,
        locale,
        getattr(actor, "id", None),
        actor.has_any_role(SEE_ALL_ROLES),
    )


def _chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _pass(
    rows: Iterator[Row], known: Known, result: ImportResult, progress: Progress, phase: str, apply: Any
) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for chunk in _chunks(rows):
        _load_orders(chunk, known)
        plans = []
        for row in chunk:
            result.rows += 1
            key = row_key(row)
            if key in seen:
                message = _("The same order as row %(row)d.", row=seen[key])
                result.add_errors([CellError(row.number, TITLES["number"], message)])
                continue
            seen[key] = row.number
            plan, errors = check_row(row, known)
            result.add_errors(errors)
            if plan is not None:
                plans.append(plan)
                setattr(result, plan.action, getattr(result, plan.action) + 1)
        if apply is not None and not result.error_count:
            apply.write(plans)
        progress(phase, result.rows)


def _existing(order: Any) -> Existing:
    return Existing(
        order.id, order.number, order.stage, order.created_by_id, {k: getattr(order, k) for k in STORED}
    )


def _load_orders(chunk: list[Row], known: Known) -> None:
    """The stored orders this chunk's rows may be: two queries per chunk, none per row."""
    keys = [row_key(row) for row in chunk]
    numbers = {k[1] for k in keys if k[0] == "number"}
    references = {k[2] for k in keys if k[0] == "reference" and k[2]}
    columns = [Order.id, Order.number, Order.stage, Order.created_by_id, *(getattr(Order, k) for k in STORED)]
    known.by_number = {}
    known.by_reference = {}
    _load_prices(chunk, known)
    if numbers:
        for order in db.session.execute(select(*columns).where(Order.number.in_(numbers))):
            known.by_number[order.number] = _existing(order)
    if references:
        query = select(*columns).where(Order.original_ref.in_(references)).order_by(Order.id)
        for order in db.session.execute(query):
            key = (order.customer_id, order.original_ref)
            known.by_reference.setdefault(key, []).append(_existing(order))


def _load_prices(chunk: list[Row], known: Known) -> None:
    """List prices of the customer × model pairs this chunk names: one query per chunk, by the
    customers' index (a customer's price list is short; every customer × model would not be)."""
    pairs = set()
    for row in chunk:
        customer = known.customers.get(cell_text(row.cells.get("customer_code")))
        product = known.products.get(cell_text(row.cells.get("product_model")))
        if customer and product:
            pairs.add((customer.id, product.id))
    query = select(PriceListEntry.customer_id, PriceListEntry.product_id, PriceListEntry.unit_price).where(
        PriceListEntry.active.is_(True),
        PriceListEntry.customer_id.in_({c for c, _p in pairs}),
        PriceListEntry.product_id.in_({p for _c, p in pairs}),
    )
    found = db.session.execute(query) if pairs else []
    known.prices = {(cid, pid): price for cid, pid, price in found if (cid, pid) in pairs}


class _Writer:
    """Writes the plans of one chunk: new orders with bulk inserts (order, its first stage event, its
    audit row), changed quotes with one UPDATE each; all inside the caller's transaction."""

    def __init__(self, actor: Any, today: date, source: str):
        self.actor_id = getattr(actor, "id", None)
        self.context = {**audit.context_provider(), "device": f"xlsx-import {source}"[:256]}
        self.prefix = number_prefix(today)
        first = next_order_number(today)
        self.serial = int(first[len(self.prefix) :])

    def write(self, plans: list[Plan]) -> None:
        created = [p for p in plans if p.action == CREATE]
        if created:
            self._create(created)
        for plan in (p for p in plans if p.action == UPDATE):
            self._update(plan)

    def _create(self, plans: list[Plan]) -> None:
        rows = []
        for plan in plans:
            rows.append({**plan.values, "number": f"{self.prefix}{self.serial:04d}", "stage": "quote"})
            rows[-1]["created_by_id"] = self.actor_id
            self.serial += 1
        ids = db.session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), rows).all()
        events = [{"order_id": i, "to_stage": "quote", "user_id": self.actor_id} for i in ids]
        db.session.execute(insert(OrderStageEvent), events)
        audits = [
            self._audit("order_create", i, audit.diff({}, row)) for i, row in zip(ids, rows, strict=True)
        ]
        db.session.execute(insert(AuditLog), audits)

    def _update(self, plan: Plan) -> None:
        assert plan.existing is not None
        before = plan.existing.values
        changed = {k: v for k, v in plan.values.items() if before.get(k) != v}
        db.session.execute(
            update(Order).where(Order.id == plan.existing.id, Order.stage == "quote").values(**changed)
        )
        db.session.execute(
            insert(AuditLog), [self._audit("order_edit", plan.existing.id, audit.diff(dict(before), changed))]
        )

    def _audit(self, action: str, order_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        return {
            "user_id": self.actor_id,
            "action": action,
            "entity": "order",
            "entity_id": str(order_id),
            "changes": changes,
            "ip": self.context.get("ip"),
            "device": self.context.get("device"),
            "lat": None,
            "lon": None,
        }
