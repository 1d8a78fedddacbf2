"""The nightly ERP sync (DESIGN §2): customers and the price list upserted from the ERP's export.

Idempotent: a row equal to what is stored changes nothing (no write, no audit row), so running the
same export twice reports everything unchanged the second time. All-or-nothing per source: every row
is checked and applied inside one transaction, and a single rejected row rolls the whole source back;
the history row (`ErpSync`) then lists each rejected row with its reason, and the counts say what the
file would have done. Rows absent from the export are left alone: an ERP export may be partial, and
deactivating a customer stays an admin's decision.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from domain import audit
from domain.clock import utcnow
from domain.exchange import erp_rows
from domain.exchange.erp_rows import RowRefused
from domain.exchange.erp_source import Fetch, SourceError, SourceTable, fetch_url, open_source
from domain.exchange.sheets import cell_text
from domain.masterdata import Customer, PriceListEntry, Product
from domain.masterdata_admin.rules import reference_problem
from domain.transactions import write_transaction
from extensions import db

APPLIED, REFUSED, FAILED = "applied", "refused", "failed"
REJECTIONS_KEPT = 1000  # listed on the history page; the count is always complete
AUDIT_DEVICE = "erp-sync"
CUSTOMER_FIELDS = ("code", "name", "address", "lat", "lon", "blocked", "purchase_12m")
PRICE_FIELDS = ("unit_price", "unit_cost", "currency")


class ErpSync(db.Model):
    """One run of `flask erp-sync SOURCE`: what it read and what it did."""

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(500))
    encoding: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16))  # applied | refused | failed
    message: Mapped[str] = mapped_column(String(500), default="")
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    by_kind: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind → {created, ...}
    rejections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {table,row,key,reason}
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


@dataclass
class Tally:
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    rejections: list[dict[str, Any]] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        counts = self.by_kind.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0})
        counts[outcome] += 1

    def reject(self, table: SourceTable, row: int, key: str, reason: str) -> None:
        self.count(table.kind, "rejected")
        if len(self.rejections) < REJECTIONS_KEPT:
            self.rejections.append({"table": table.name, "row": row, "key": key, "reason": reason})

    def total(self, outcome: str) -> int:
        return sum(counts[outcome] for counts in self.by_kind.values())


class _RolledBack(Exception):
    """Raised inside the transaction so that it rolls back when a row was rejected."""


def run_sync(source: str, fetch: Fetch = fetch_url, actor: Any = None) -> ErpSync:
    """Read `source`, apply it whole or not at all, and record the run (committed) either way."""
    sync = ErpSync(
        source=source[:500], status=FAILED, started_at=utcnow(), user_id=getattr(actor, "id", None)
    )
    tally = Tally()
    try:
        tables, sync.encoding = open_source(source, fetch)
        with write_transaction():
            _apply_tables(tables, tally, actor)
            if tally.total("rejected"):
                raise _RolledBack
        sync.status = APPLIED
    except _RolledBack:
        sync.status = REFUSED
        sync.message = _("Nothing was applied: %(n)d row(s) rejected.", n=tally.total("rejected"))
    except SourceError as error:
        db.session.rollback()
        sync.message = str(error)[:500]
    except IntegrityError:  # e.g. a second sync or an admin created the same customer at that moment
        db.session.rollback()
        sync.message = _("Someone changed the same rows at the same moment; nothing was applied. Run again.")
    _finish(sync, tally)
    return sync


def _finish(sync: ErpSync, tally: Tally) -> None:
    sync.finished_at = utcnow()
    for outcome in ("created", "updated", "unchanged", "rejected"):
        setattr(sync, outcome, tally.total(outcome))
    sync.by_kind, sync.rejections = tally.by_kind, tally.rejections
    db.session.add(sync)
    db.session.commit()


def _apply_tables(tables: Iterable[SourceTable], tally: Tally, actor: Any) -> None:
    customers = {c.code.lower(): c for c in db.session.scalars(select(Customer))}
    for table in tables:
        if table.kind == erp_rows.CUSTOMERS:
            _apply_customers(table, customers, tally, actor)
        else:
            _apply_prices(table, customers, tally, actor)


def _audit(action: str, entity: str, row_id: Any, changes: dict[str, Any], actor: Any) -> None:
    audit.record(action, entity, row_id, changes, actor=actor, context={"device": AUDIT_DEVICE})


def _apply_customers(table: SourceTable, customers: dict[str, Customer], tally: Tally, actor: Any) -> None:
    seen: dict[str, int] = {}
    created: list[Customer] = []
    for row in table.rows:
        code = cell_text(row.cells.get("code"))
        try:
            data = erp_rows.customer_values(row.cells, table.titles)
            _not_seen(seen, data["code"].lower(), row.number)
        except RowRefused as refused:
            tally.reject(table, row.number, code, refused.reason)
            continue
        current = customers.get(data["code"].lower())
        if current is None:
            customer = Customer(**data)
            db.session.add(customer)
            customers[data["code"].lower()] = customer
            created.append(customer)
            tally.count(table.kind, "created")
            continue
        present = {k: v for k, v in data.items() if k in row.cells or k == "code"}
        present["code"] = current.code  # the stored spelling of the code is kept (codes match case-blind)
        tally.count(table.kind, "updated" if _update(current, present, "customer", actor) else "unchanged")
    db.session.flush()
    for customer in created:
        snapshot = {name: getattr(customer, name) for name in CUSTOMER_FIELDS}
        _audit("customer_create", "customer", customer.id, audit.diff({}, snapshot), actor)


def _not_seen(seen: dict[Any, int], key: Any, number: int) -> None:
    if key in seen:
        raise RowRefused(_("The same key is on row %(row)d of this file already.", row=seen[key]))
    seen[key] = number


def _update(row: Any, values: dict[str, Any], entity: str, actor: Any) -> bool:
    before = {name: getattr(row, name) for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(row, name, value)
    _audit(f"{entity}_update", entity, row.id, audit.diff(before, changed), actor)
    return True


def _apply_prices(table: SourceTable, customers: dict[str, Customer], tally: Tally, actor: Any) -> None:
    products = {p.model.lower(): p for p in db.session.scalars(select(Product))}
    entries = {(e.customer_id, e.product_id): e for e in db.session.scalars(select(PriceListEntry))}
    seen: dict[tuple[int, int], int] = {}
    created: list[PriceListEntry] = []
    for row in table.rows:
        code, model = cell_text(row.cells.get("customer_code")), cell_text(row.cells.get("product_model"))
        try:
            customer, product = _price_references(customers, products, code, model)
            data = erp_rows.price_values(row.cells, table.titles, customer.id, product.id)
            _not_seen(seen, (customer.id, product.id), row.number)
        except RowRefused as refused:
            tally.reject(table, row.number, f"{code} × {model}", refused.reason)
            continue
        current = entries.get((customer.id, product.id))
        if current is None:
            entry = PriceListEntry(**data)
            db.session.add(entry)
            entries[(customer.id, product.id)] = entry
            created.append(entry)
            tally.count(table.kind, "created")
            continue
        values = {k: data[k] for k in PRICE_FIELDS if k in row.cells} | {"active": True}
        changed = _update(current, values, "price_list_entry", actor)
        tally.count(table.kind, "updated" if changed else "unchanged")
    db.session.flush()
    for entry in created:
        snapshot = {"customer_id": entry.customer_id, "product_id": entry.product_id}
        snapshot |= {name: getattr(entry, name) for name in PRICE_FIELDS}
        _audit("price_list_entry_create", "price_list_entry", entry.id, audit.diff({}, snapshot), actor)


def _price_references(
    customers: dict[str, Customer], products: dict[str, Product], code: str, model: str
) -> tuple[Customer, Product]:
    customer = customers.get(code.lower())
    if customer is None:
        raise RowRefused(_("There is no customer with code %(code)s.", code=code))
    product = products.get(model.lower())
    if product is None:
        raise RowRefused(_("There is no product model %(model)s.", model=model))
    for row, what in ((customer, _("customer")), (product, _("product"))):
        if problem := reference_problem(row, what):
            raise RowRefused(problem)
    return customer, product


def recent_syncs(limit: int = 50) -> list[ErpSync]:
    return list(db.session.scalars(select(ErpSync).order_by(ErpSync.id.desc()).limit(limit)))


def report_lines(sync: ErpSync) -> list[str]:
    """The run as the CLI prints it (and cron mails it): status, counts per kind, each rejected row."""
    lines = [
        f"erp-sync #{sync.id} {sync.source}: {sync.status}" + (f" ({sync.encoding})" if sync.encoding else "")
    ]
    if sync.message:
        lines.append(sync.message)
    for kind, c in sync.by_kind.items():
        lines.append(
            f"{kind}: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['rejected']} rejected"
        )
    lines += [f"  {r['table']} row {r['row']} [{r['key']}]: {r['reason']}" for r in sync.rejections]
    if sync.rejected > len(sync.rejections):
        lines.append(f"  … and {sync.rejected - len(sync.rejections)} more")
    return lines
