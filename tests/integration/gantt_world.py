"""A small plan for the Gantt tests: two workshops, three machines, work orders with operations."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.masterdata import BomVersion
from domain.orders.models import Order
from domain.production.models import Machine, Operation, WorkOrder
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data

# Tomorrow 00:00 UTC (naive, as stored), so the chart's default window shows the plan.
T0 = datetime.combine(date.today() + timedelta(days=1), datetime.min.time())


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@dataclass
class Plan:
    m1: Machine
    m2: Machine
    m3: Machine  # in the other workshop
    first: WorkOrder  # op seq 1 on m1 00–04, seq 2 on m3 04–08
    second: WorkOrder  # op seq 1 on m1 06–10
    rush: WorkOrder  # a rush order's op on m1 12–14


def build_plan(tag: str = "G") -> Plan:
    """`tag` keeps codes apart when several tests share one database (the browser tests' server)."""
    cust = order_data.customer(f"C-{tag}")
    prod = order_data.product(f"P-{tag}", workshop_code=f"{tag}1")
    w1, w2 = order_data.workshop(f"{tag}1"), order_data.workshop(f"{tag}2")
    leader = make_user(f"{tag}-leader", ["leader"])
    team = order_data.team_with_leader(leader.id, f"{tag}1")
    m1, m2 = (
        Machine(workshop_id=w1.id, code="IM-01", name="海天 1"),
        Machine(workshop_id=w1.id, code="IM-02", name="海天 2"),
    )
    m3 = Machine(workshop_id=w2.id, code="AS-01", name="装配线")
    db.session.add_all([m1, m2, m3])
    db.session.flush()
    bom = db.session.scalars(db.select(BomVersion).where(BomVersion.product_id == prod.id)).first()

    def work_order(
        number: str, order_no: str, ops: list[tuple[Machine, float, float]], rush: bool = False
    ) -> WorkOrder:
        order = order_data.order_in_stage(cust, prod, "scheduling", number=order_no)
        order.is_rush = rush
        wo = WorkOrder(
            number=number,
            order_id=order.id,
            product_id=prod.id,
            bom_version_id=bom.id,
            quantity=Decimal(100),
            team_id=team.id,
        )
        wo.operations = [
            Operation(
                seq=i + 1,
                name=f"step {i + 1}",
                workshop_id=m.workshop_id,
                machine_id=m.id,
                planned_start=at(a),
                planned_end=at(b),
            )
            for i, (m, a, b) in enumerate(ops)
        ]
        db.session.add(wo)
        db.session.commit()
        return wo

    day = T0.strftime("%Y%m%d")
    first = work_order(f"WO-{day}-{tag}01", f"SO-{tag}-1", [(m1, 0, 4), (m3, 4, 8)])
    second = work_order(f"WO-{day}-{tag}02", f"SO-{tag}-2", [(m1, 6, 10)])
    rush = work_order(f"WO-{day}-{tag}03", f"SO-{tag}-3", [(m1, 12, 14)], rush=True)
    return Plan(m1, m2, m3, first, second, rush)


def iso(moment: datetime) -> str:
    return moment.isoformat() + "Z"


def reload(op: Operation) -> Operation:
    db.session.expire_all()
    return db.session.get(Operation, op.id)


__all__ = ["Order", "Plan", "at", "build_plan", "iso", "reload"]


@dataclass
class RushPlan:
    machine: Machine
    started: WorkOrder  # running now on the machine: never moves
    queue: list[WorkOrder]  # two B orders planned after it
    rush: WorkOrder  # an approved rush order planned last, due tomorrow


def build_rush_plan(tag: str = "R") -> RushPlan:
    """One workshop with one press: a running operation, two queued orders of 8 hours each (the first
    past the frozen window), and a 12-hour rush order at the end of the queue."""
    cust = order_data.customer(f"C-{tag}")
    prod = order_data.product(f"P-{tag}", workshop_code=f"{tag}1")
    shop = order_data.workshop(f"{tag}1")
    leader = make_user(f"{tag}-leader", ["leader"])
    team = order_data.team_with_leader(leader.id, f"{tag}1")
    machine = Machine(workshop_id=shop.id, code=f"{tag}-IM-01", name="海天 1")
    db.session.add(machine)
    db.session.flush()
    bom = db.session.scalars(db.select(BomVersion).where(BomVersion.product_id == prod.id)).first()
    now = datetime.utcnow().replace(second=0, microsecond=0)

    def work_order(n: int, quantity: int, start: datetime, hours: int, **kw) -> WorkOrder:
        rush = kw.pop("rush", False)
        order = order_data.order_in_stage(cust, prod, "scheduling", number=f"SO-{tag}-{n}", **kw)
        order.is_rush = rush
        wo = WorkOrder(
            number=f"WO-{tag}-{n:04}",
            order_id=order.id,
            product_id=prod.id,
            bom_version_id=bom.id,
            quantity=Decimal(quantity),
            team_id=team.id,
        )
        end = start + timedelta(hours=hours)
        wo.operations = [
            Operation(
                seq=1,
                name="注塑",
                workshop_id=shop.id,
                machine_id=machine.id,
                planned_start=start,
                planned_end=end,
            )
        ]
        wo.planned_start, wo.planned_end = start, end
        db.session.add(wo)
        db.session.commit()
        return wo

    started = work_order(1, 100, now - timedelta(hours=1), 2, due_in=10)
    started.operations[0].status = "started"
    db.session.commit()
    first = work_order(2, 700, now + timedelta(hours=9), 8, due_in=10)  # 60 min setup + 700 × 36 s = 8 h
    second = work_order(3, 700, now + timedelta(hours=17), 8, due_in=12, priority="C")
    rush = work_order(4, 1100, now + timedelta(hours=25), 12, due_in=1, rush=True)
    return RushPlan(machine, started, [first, second], rush)
