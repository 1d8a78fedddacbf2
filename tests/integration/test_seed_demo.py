"""`flask seed-demo`: the demo plant, its sign-ins, a second run, and refusals that write nothing."""

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from shapely.geometry import shape
from sqlalchemy import func, select

import demo.plant
from domain.kpi import service as kpi_service
from domain.masterdata import (
    AppMeta,
    BomVersion,
    Customer,
    Location,
    PriceListEntry,
    Product,
    RoutingStep,
    ServicePoint,
    Team,
    Warehouse,
    Workshop,
)
from domain.orders.models import Order, OrderStageEvent
from domain.roles import ALL_ROLES
from domain.stage_machine import OPEN_STAGES, STAGES, is_allowed
from domain.users import User
from extensions import db
from tests.conftest import make_user

# Who moves an order into each stage, by role (DESIGN §1: sales quotes, the planner schedules, ...).
STAGE_ROLES = {
    "quote": "sales",
    "confirmed": "sales",
    "scheduling": "planner",
    "in_production": "planner",
    "awaiting_qc": "leader",
    "shipped": "warehouse",
    "on_hold": "sales",
}


def seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def all_of(model) -> list:
    return list(db.session.execute(select(model)).scalars())


def test_seed_demo_creates_one_demo_user_per_role_with_password_hash_and_chinese_name(runner):
    seed(runner)
    users = {u.username: u for u in all_of(User)}
    for role in ALL_ROLES:
        assert role in users[role].roles
    assert all(u.is_demo and u.active and u.locale is None for u in users.values())
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in u.display_name) for u in users.values())


def test_seed_demo_gives_each_of_four_teams_a_leader_who_belongs_to_it(runner):
    seed(runner)
    teams = db.session.execute(select(Team).order_by(Team.id)).scalars().all()
    assert len(teams) == 4
    assert all("leader" in team.leader.roles and team.leader.team_id == team.id for team in teams)
    assert teams[0].leader.username == "leader"
    assert len({team.leader_id for team in teams}) == 4


def test_each_demo_role_user_signs_in_with_password_demo(runner, client):
    seed(runner)
    for role in ALL_ROLES:
        response = client.post("/login", data={"username": role, "password": "demo"})
        assert response.status_code == 302, role
        assert f'data-role="{role}"'.encode() in client.get("/").data
        client.post("/logout")


def test_seed_demo_builds_three_workshops_and_two_warehouses_with_locations(runner):
    seed(runner)
    assert {w.name for w in all_of(Workshop)} == {"注塑车间", "喷涂车间", "装配车间"}
    # the plant's own two; each service point also keeps its spare parts in a small warehouse (WH-SP-*)
    warehouses = [w for w in all_of(Warehouse) if not w.code.startswith("WH-SP-")]
    assert len(warehouses) == 2
    for warehouse in warehouses:
        assert warehouse.capacity > 0
        assert 10 <= len(warehouse.locations) <= 20
    assert 2 <= count(ServicePoint) <= 3


def test_seed_demo_warehouse_fences_are_valid_polygons_in_dongguan(runner):
    seed(runner)
    for warehouse in all_of(Warehouse):
        if warehouse.code.startswith("WH-SP-"):  # a service point's parts store, in its own city
            continue
        polygon = shape(warehouse.fence)
        assert warehouse.fence["type"] == "Polygon" and polygon.is_valid
        assert 113.5 < polygon.centroid.x < 114.3 and 22.6 < polygon.centroid.y < 23.2


def test_seed_demo_customers_include_big_small_and_blocked_ones(runner):
    seed(runner)
    customers = all_of(Customer)
    assert len(customers) == 30
    assert 1 <= sum(c.blocked for c in customers) <= 2
    amounts = sorted((c.purchase_12m for c in customers), reverse=True)
    assert amounts[0] > 10 * amounts[len(amounts) // 2]  # a few big ones dominate
    assert all(c.lat and c.lon for c in customers)


def test_seed_demo_gives_every_product_an_active_bom_version_1_and_a_routing(runner):
    seed(runner)
    assert count(Product) == 40
    boms = db.session.execute(select(BomVersion).where(BomVersion.status == "active")).scalars().all()
    assert len(boms) == 40 and {b.product_id for b in boms} == {p.id for p in all_of(Product)}
    assert all(b.version == 1 and 3 <= len(b.lines) <= 6 for b in boms)
    steps = defaultdict(list)
    for step in all_of(RoutingStep):
        steps[step.product_id].append(step.workshop_id)
    assert len(steps) == 40
    assert all(2 <= len(shops) <= 4 and len(set(shops)) >= 2 for shops in steps.values())


def test_seed_demo_orders_cover_every_stage_and_priority_for_existing_customers_and_products(runner):
    seed(runner)
    orders = all_of(Order)
    assert len(orders) == 200
    assert {o.stage for o in orders} == set(STAGES)
    assert {o.priority for o in orders} == {"A", "B", "C"}
    joined = db.session.execute(
        select(func.count()).select_from(Order).join(Customer).join(Product)
    ).scalar_one()
    assert joined == 200
    assert all(o.quantity > 0 and o.number.startswith("SO-") for o in orders)


def test_seed_demo_prices_every_ordered_pair_with_margins_from_3_to_30_percent(runner):
    seed(runner)
    prices = {(p.customer_id, p.product_id): p for p in all_of(PriceListEntry)}
    orders = all_of(Order)
    assert {(o.customer_id, o.product_id) for o in orders} == set(prices)
    assert all(o.unit_price == prices[o.customer_id, o.product_id].unit_price for o in orders)
    margins = [(p.unit_price - p.unit_cost) / p.unit_price for p in prices.values()]
    assert all(0.03 <= m <= 0.30 for m in margins)
    assert min(margins) < 0.08 and max(margins) > 0.25


def test_seed_demo_stage_events_follow_each_orders_stage_in_time_by_the_right_roles(runner):
    seed(runner)
    roles = {u.id: u.roles for u in all_of(User)}
    events = defaultdict(list)
    for event in db.session.execute(select(OrderStageEvent).order_by(OrderStageEvent.id)).scalars():
        events[event.order_id].append(event)
    now = datetime.now(UTC).replace(tzinfo=None)
    for order in all_of(Order):
        chain = events[order.id]
        assert chain[0].from_stage is None and chain[-1].to_stage == order.stage
        assert all(
            is_allowed(a.to_stage, b.to_stage) and b.from_stage == a.to_stage for a, b in pairwise(chain)
        )
        assert all(a.at < b.at for a, b in pairwise(chain)) and chain[-1].at < now
        assert chain[0].at == order.created_at
        for event in chain:
            wanted = {"sales", "vp"} if event.to_stage == "cancelled" else {STAGE_ROLES[event.to_stage]}
            assert roles[event.user_id] & wanted


def test_seed_demo_due_dates_are_shipped_in_the_past_and_open_ones_around_today(runner):
    seed(runner)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    orders = all_of(Order)
    assert all(o.due_date < today for o in orders if o.stage == "shipped")
    open_orders = [o for o in orders if o.stage in OPEN_STAGES]
    assert any(o.due_date < today for o in open_orders)
    assert any(today <= o.due_date <= today + timedelta(days=3) for o in open_orders)
    assert sum(o.due_date >= today + timedelta(days=7) for o in open_orders) > len(open_orders) / 2


def test_seed_demo_second_run_changes_nothing_and_says_so(runner):
    seed(runner)
    before = demo.plant.plant_counts()
    second = seed(runner)
    assert demo.plant.plant_counts() == before
    assert "nothing changed" in second.output
    assert db.session.get(AppMeta, "demo_plant").value == demo.plant.VERSION


def test_seed_demo_refuses_a_database_with_a_real_user_and_writes_nothing(runner):
    make_user("zhangsan", ["admin"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "zhangsan" in result.output
    assert count(User) == 1 and count(Customer) == 0 and count(Order) == 0
    assert db.session.get(AppMeta, "demo_plant") is None


def test_seed_demo_refuses_master_data_without_the_demo_marker(runner):
    db.session.add(Customer(code="K1", name="真实客户有限公司"))
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert count(Customer) == 1 and count(User) == 0 and count(Product) == 0


def test_seed_demo_writes_nothing_when_it_fails_halfway(runner, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("planning failed")

    monkeypatch.setattr(demo.plant, "plan_orders", broken)  # users, plant and products are added by now
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert all(n == 0 for n in demo.plant.plant_counts().values())


def test_seed_demo_asks_for_db_upgrade_when_tables_are_missing(runner):
    db.session.commit()
    AppMeta.__table__.drop(db.engine)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "db upgrade" in result.output
    assert count(User) == 0
    AppMeta.__table__.create(db.engine)


def test_seed_demo_location_codes_read_zone_rack_level(runner):
    seed(runner)
    codes = list(db.session.execute(select(Location.code)).scalars())
    assert codes and all(re.fullmatch(r"[A-Z]-\d{2}-\d{2}", code) for code in codes)


def test_seed_demo_gives_every_ohdi_term_for_each_past_month_since_the_first_shipment(runner):
    seed(runner)
    first = db.session.execute(
        select(func.min(OrderStageEvent.at)).where(OrderStageEvent.to_stage == "shipped")
    ).scalar_one()
    months = kpi_service.ohdi(12)["months"]
    past = [m for m in months[:-1] if m["month"] >= f"{first:%Y-%m}"]
    assert len(past) >= 2
    for month in past:
        assert all(value is not None for value in month["terms"].values()), month
        assert month["ohdi"] is not None and 0 < month["ohdi"] <= 1
    # one notice nobody has read yet: it weighs on the running month's change response
    assert months[-1]["facts"]["changes_open"] == 1


def test_a_colour_change_in_the_demo_swaps_the_masterbatch_of_the_work_order(runner, client, auth):
    """The demo's masterbatch SKUs name their colours, so the example of DESIGN §3.0 works there:
    a black order in production changed to Cool Gray gets the grey masterbatch on its material list."""
    from domain.masterdata import BomLine, Sku
    from domain.orders.models import Order
    from domain.production.models import OPEN_WORK_ORDER, WorkOrder

    seed(runner)
    black = db.session.execute(select(Sku).where(Sku.code == "MB-BK01")).scalar_one()
    work_order = db.session.execute(
        select(WorkOrder)
        .join(BomLine, BomLine.bom_id == WorkOrder.bom_version_id)
        .join(Order, Order.id == WorkOrder.order_id)
        .where(BomLine.sku_id == black.id, WorkOrder.status.in_(OPEN_WORK_ORDER), Order.stage != "on_hold")
        .order_by(WorkOrder.id)
        .limit(1)
    ).scalar_one()
    headers = auth.headers("sales")
    patch = {"color_notes": "灰色 Pantone Cool Gray 9C，按新签样", "note": "客户改色"}
    response = client.patch(f"/api/v1/orders/{work_order.order_id}", json=patch, headers=headers)
    assert response.status_code == 200, response.json
    kitting = client.get(
        f"/api/v1/kitting/work-orders/{work_order.id}", headers=auth.headers("warehouse")
    ).json
    codes = [line["sku"] for line in kitting["lines"]]
    assert "MB-GY01" in codes and "MB-BK01" not in codes
