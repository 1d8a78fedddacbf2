"""Demo quality (DESIGN §7): an inspection checklist for every product; first-article and final
inspections of the demo work orders as their orders' stages require (with a few failures and reworks,
so first-pass yield is not 100%); supplier and material lots received into the raw-material store,
issued to the work orders, output lots into the finished-goods store, and shipments with serial numbers
for the shipped orders. Stock goes through the ledger (balances.post), so `flask stock-check` passes.
Called by demo_plant.py after the production demo."""

from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from domain import stage_machine
from domain.clock import plant_date, utcnow
from domain.masterdata import BomLine, Location, Product, Sku, Warehouse
from domain.orders.models import Order, OrderStageEvent
from domain.production import models as production
from domain.production.models import WorkOrder
from domain.quality.inspection_rules import Item, judge
from domain.quality.inspections import (
    CHECK,
    FINAL,
    FIRST_ARTICLE,
    MEASURE,
    ChecklistItem,
    Inspection,
    InspectionChecklist,
    InspectionResult,
)
from domain.quality.lots import (
    MADE_INTO,
    MATERIAL,
    OUTPUT,
    RECEIVED_AS,
    SUPPLIER,
    Lot,
    LotConsumption,
    LotEdge,
)
from domain.quality.shipments import SerialNumber, Shipment, ShipmentLine
from domain.stock import balances
from domain.stock.ledger import ISSUE, RECEIPT, SHIPMENT
from domain.stock.ledger import OUTPUT as OUTPUT_MOVE
from extensions import db

SUPPLIERS = {"R-": "中石化华南分公司", "MB": "东莞彩丽色母粒有限公司"}
SERIALS_PER_SHIPMENT = 5
STEP = Decimal("0.001")
# (work order index in its stage) whose first attempt fails: reworked and passed, or still failed.
FAILED_FIRST = {
    stage_machine.IN_PRODUCTION: (0,),
    stage_machine.AWAITING_QC: (1,),
    stage_machine.SHIPPED: tuple(range(0, 200, 7)),  # about one in seven: a first-pass yield below 100 %
}


def seed_quality(today: date, zone: tzinfo, users: dict) -> None:
    qc = users["qc"]
    items = _checklists(qc)
    work_orders = _work_orders()
    by_stage: dict[str, list] = defaultdict(list)
    for row in work_orders:
        by_stage[row[1].stage].append(row)
    shipped_at = dict(
        db.session.execute(
            select(OrderStageEvent.order_id, OrderStageEvent.at).where(
                OrderStageEvent.to_stage == stage_machine.SHIPPED
            )
        ).all()
    )
    for stage, rows in by_stage.items():
        for n, (wo, order) in enumerate(rows):
            failed = n in FAILED_FIRST.get(stage, ())
            _inspect(wo, order, items[wo.product_id], failed, qc, shipped_at.get(order.id))
    _lots_and_shipments(work_orders, users["warehouse"], zone)
    db.session.flush()


# ---- checklists and inspections ----


def _checklists(qc) -> dict[int, list[ChecklistItem]]:
    out = {}
    for product in db.session.execute(select(Product).order_by(Product.id)).scalars():
        wall = Decimal("1.8") + Decimal(product.id % 7) / 10  # 1.8 … 2.4 mm
        checklist = InspectionChecklist(product_id=product.id, updated_by_id=qc.id)
        checklist.items = [
            ChecklistItem(seq=1, name="壁厚 Wall thickness", method=MEASURE, nominal=wall,
                          tol_minus=Decimal("0.10"), tol_plus=Decimal("0.10"), unit="mm"),
            ChecklistItem(seq=2, name="卡扣间距 Snap-fit pitch", method=MEASURE, nominal=Decimal("42.50"),
                          tol_minus=Decimal("0.15"), tol_plus=Decimal("0.15"), unit="mm"),
            ChecklistItem(seq=3, name="外观 无缩水/飞边/银纹 Surface", method=CHECK),
            ChecklistItem(seq=4, name="颜色 对比标准色板 Colour vs. master", method=CHECK),
            ChecklistItem(seq=5, name="包装与标签 Packing and labels", method=CHECK, first_article=False),
        ]  # fmt: skip
        db.session.add(checklist)
        out[product.id] = checklist.items
    db.session.flush()
    return out


def _work_orders() -> list[tuple[WorkOrder, Order]]:
    query = (
        select(WorkOrder, Order)
        .join(Order, Order.id == WorkOrder.order_id)
        .where(
            Order.stage.in_((stage_machine.IN_PRODUCTION, stage_machine.AWAITING_QC, stage_machine.SHIPPED))
        )
        .order_by(WorkOrder.planned_start, WorkOrder.id)
    )
    return [(wo, order) for wo, order in db.session.execute(query)]


def _inspect(wo: WorkOrder, order: Order, items, fails_first: bool, qc, shipped: datetime | None) -> None:
    """The first article an hour into the run; the final inspection just before the shipment (so its
    month, which first-pass yield counts, is the delivery's), else when the run ends."""
    start = wo.planned_start or utcnow()
    kinds = [FIRST_ARTICLE, FINAL] if order.stage == stage_machine.SHIPPED else [FIRST_ARTICLE]
    for kind in kinds:
        asked = [i for i in items if (i.first_article if kind == FIRST_ARTICLE else i.final)]
        ended = wo.planned_end or start
        final_at = max(ended, shipped - timedelta(hours=2)) if shipped else ended
        at = start + timedelta(hours=1) if kind == FIRST_ARTICLE else final_at
        attempts = _attempts(order.stage, kind, fails_first)
        for attempt, good in enumerate(attempts, start=1):
            _inspection(wo, kind, asked, good, attempt, at + timedelta(minutes=40 * (attempt - 1)), qc)
        if kind == FIRST_ARTICLE and not attempts[-1]:
            _held_at_sample(wo)


def _held_at_sample(wo: WorkOrder) -> None:
    """A first article that failed holds the work order at its sample (DESIGN §7): the first step made
    no more good pieces than that, and the later steps have not begun."""
    if not wo.product.needs_first_article or not wo.operations:
        return
    sample = Decimal(wo.product.first_article_qty)
    first, *later = wo.operations
    if first.good_qty > sample or first.status == production.DONE:
        first.good_qty, first.status = min(first.good_qty, sample), production.STARTED
    for op in later:
        op.good_qty, op.scrap_qty, op.status = Decimal(0), Decimal(0), production.PENDING
    wo.good_qty, wo.scrap_qty = first.good_qty, first.scrap_qty


def _attempts(stage: str, kind: str, fails_first: bool) -> list[bool]:
    """A failure stands in production (that demo order cannot move on); later stages show the rework
    that passed (the first-pass yield counts it as not first-pass)."""
    if not fails_first:
        return [True]
    if stage == stage_machine.IN_PRODUCTION:
        return [False]
    reworked = (stage, kind) in ((stage_machine.AWAITING_QC, FIRST_ARTICLE), (stage_machine.SHIPPED, FINAL))
    return [False, True] if reworked else [True]


def _inspection(wo, kind, items, good: bool, attempt: int, at: datetime, qc) -> None:
    answers = {}
    for n, item in enumerate(items):
        if item.method == MEASURE:
            offset = Decimal("0.03") if n % 2 else Decimal("-0.02")
            if not good and n == 0:
                offset = item.tol_plus + Decimal("0.06")  # wall too thick: sink marks at the bosses
            answers[f"item_{item.id}"] = item.nominal + offset
        else:
            answers[f"item_{item.id}"] = "pass"
    rules = [Item(i.id, i.seq, i.name, i.method, i.nominal, i.tol_minus, i.tol_plus, i.unit) for i in items]
    verdicts, passed = judge(rules, answers)
    inspection = Inspection(
        work_order_id=wo.id,
        kind=kind,
        attempt=attempt,
        passed=passed,
        inspector_id=qc.id,
        at=at,
        note="" if passed else "壁厚超差，调整保压后复检 / wall over tolerance, holding pressure adjusted",
    )
    inspection.results = [
        InspectionResult(
            item_id=v.item.id, seq=v.item.seq, name=v.item.name, method=v.item.method, nominal=v.item.nominal,
            tol_minus=v.item.tol_minus, tol_plus=v.item.tol_plus, unit=v.item.unit, measured=v.measured,
            checked_ok=v.checked_ok, passed=v.passed,
        )
        for v in verdicts
    ]  # fmt: skip
    db.session.add(inspection)


# ---- lots, stock and shipments ----


def _lots_and_shipments(work_orders: list[tuple[WorkOrder, Order]], clerk, zone: tzinfo) -> None:
    if not work_orders:
        return
    raw, finished = _first_location("WH-RM"), _first_location("WH-FG")
    needs = _needs([wo for wo, _order in work_orders])
    material = _receive(needs, raw, clerk)
    models = dict(db.session.execute(select(Product.id, Product.model)).all())
    skus = dict(db.session.execute(select(Sku.code, Sku.id)).all())
    shipped_on = _ship_days(zone)
    serial = 0
    for wo, order in work_orders:
        consumed = []
        for sku_id, qty in needs[wo.id].items():
            lot = material[sku_id]
            move = balances.post(ISSUE, sku_id, lot.code, raw, -qty, actor=clerk, ref=wo.number)
            db.session.add(LotConsumption(work_order_id=wo.id, lot_id=lot.id, qty=qty, stock_move_id=move.id,
                                          at=wo.planned_start, user_id=clerk.id))  # fmt: skip
            consumed.append(lot.id)
        if order.stage == stage_machine.IN_PRODUCTION:
            continue
        made = _dec(wo.good_qty or wo.quantity).quantize(Decimal(1))
        sku_id = skus.get(models[wo.product_id])
        if sku_id is None or made <= 0:
            continue
        output = Lot(code=f"{wo.number}-01", sku_id=sku_id, kind=OUTPUT, work_order_id=wo.id, qty=made,
                     created_at=wo.planned_end, created_by_id=clerk.id)  # fmt: skip
        db.session.add(output)
        db.session.flush()
        balances.post(OUTPUT_MOVE, sku_id, output.code, finished, made, actor=clerk, ref=wo.number)
        db.session.add_all(
            LotEdge(parent_id=p, child_id=output.id, kind=MADE_INTO, work_order_id=wo.id, at=wo.planned_end)
            for p in sorted(set(consumed))
        )
        if order.stage == stage_machine.SHIPPED:
            serial = _ship(order, wo, output, made, finished, shipped_on.get(order.id), clerk, serial)


def _first_location(warehouse: str) -> int:
    return db.session.execute(
        select(Location.id)
        .join(Warehouse)
        .where(Warehouse.code == warehouse)
        .order_by(Location.code)
        .limit(1)
    ).scalar_one()


def _needs(work_orders: list[WorkOrder]) -> dict[int, dict[int, Decimal]]:
    """work order → SKU → quantity issued (its locked BOM × quantity, scrap included)."""
    lines: dict[int, list[BomLine]] = defaultdict(list)
    bom_ids = {wo.bom_version_id for wo in work_orders}
    for line in db.session.execute(select(BomLine).where(BomLine.bom_id.in_(bom_ids))).scalars():
        lines[line.bom_id].append(line)
    needs: dict[int, dict[int, Decimal]] = {}
    for wo in work_orders:
        needs[wo.id] = {}
        for line in lines[wo.bom_version_id]:
            exact = _dec(line.qty_per) * _dec(wo.quantity) * (1 + _dec(line.scrap_pct or 0) / 100)
            needs[wo.id][line.sku_id] = exact.quantize(STEP, ROUND_CEILING)
    return needs


def _dec(value) -> Decimal:
    """Rows added in this same transaction still hold what the seed gave them (a float, an int)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _receive(needs: dict[int, dict[int, Decimal]], location: int, clerk) -> dict[int, Lot]:
    """One supplier lot per material, received as one plant lot holding what the work orders need
    plus a tenth to spare."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for per_sku in needs.values():
        for sku_id, qty in per_sku.items():
            totals[sku_id] += qty
    codes = dict(db.session.execute(select(Sku.id, Sku.code).where(Sku.id.in_(list(totals)))).all())
    lots = {}
    for n, (sku_id, total) in enumerate(sorted(totals.items()), start=1):
        qty = (total * Decimal("1.1")).quantize(STEP, ROUND_CEILING)
        code = codes[sku_id]
        supplier = SUPPLIERS.get(code[:2], "苏州精工五金有限公司")
        source = Lot(
            code=f"S{2400 + n}-{code[-4:]}", sku_id=sku_id, kind=SUPPLIER, supplier=supplier, qty=qty
        )
        plant = Lot(code=f"M-DEMO-{n:03d}", sku_id=sku_id, kind=MATERIAL, qty=qty)
        db.session.add_all([source, plant])
        db.session.flush()
        db.session.add(LotEdge(parent_id=source.id, child_id=plant.id, kind=RECEIVED_AS))
        balances.post(RECEIPT, sku_id, plant.code, location, qty, actor=clerk)
        lots[sku_id] = plant
    return lots


def _ship_days(zone: tzinfo) -> dict[int, date]:
    rows = db.session.execute(
        select(OrderStageEvent.order_id, OrderStageEvent.at).where(
            OrderStageEvent.to_stage == stage_machine.SHIPPED
        )
    )
    return {oid: plant_date(at, zone) for oid, at in rows}


def _ship(order, wo, output: Lot, qty: Decimal, location: int, day: date | None, clerk, serial: int) -> int:
    day = day or wo.planned_end.date()
    shipment = Shipment(
        number=f"SH-{day:%Y%m%d}-{order.id:04d}",
        order_id=order.id,
        customer_id=order.customer_id,
        ship_date=day,
        created_by_id=clerk.id,
    )
    line = ShipmentLine(sku_id=output.sku_id, lot_id=output.id, qty=qty)
    shipment.lines.append(line)
    for _n in range(SERIALS_PER_SHIPMENT):
        serial += 1
        line.serials.append(
            SerialNumber(serial=f"SN{day:%y%m}{serial:05d}", shipment=shipment, lot_id=output.id,
                         product_id=wo.product_id)
        )  # fmt: skip
    db.session.add(shipment)
    balances.post(SHIPMENT, output.sku_id, output.code, location, -qty, actor=clerk, ref=order.number)
    return serial
