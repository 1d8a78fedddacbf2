"""The home page: one card per role the user holds, each saying what that role does next from the
orders, warehouses and teams in the database."""

import re
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy import event

from blueprints.role_cards import plant_today
from domain.clock import utcnow
from domain.masterdata import Customer, Location, Product, Team, Warehouse, Workshop
from domain.orders.models import Order, OrderStageEvent
from domain.users import User
from extensions import db
from tests.conftest import make_user

_numbers = count(1)


def add_order(stage: str, due_in: int, *, by: User | None = None, priority: str = "B") -> Order:
    n = next(_numbers)
    order = Order(  # a customer and product of its own, so a query per row would show in the count
        number=f"SO-{n:04d}",
        customer=Customer(code=f"C{n}", name=f"华东塑业{n}"),
        product=Product(model=f"PX-{n}", name="外壳"),
        quantity=Decimal(1000),
        due_date=plant_today() + timedelta(days=due_in),
        priority=priority,
        stage=stage,
        created_by_id=by.id if by else None,
    )
    db.session.add(order)
    db.session.commit()
    return order


def ship(order: Order, days_ago: int) -> None:
    order.stage = "shipped"
    order.stage_events.append(
        OrderStageEvent(from_stage="awaiting_qc", to_stage="shipped", at=utcnow() - timedelta(days=days_ago))
    )
    db.session.commit()


def card(html: str, role: str) -> str:
    match = re.search(rf'<section [^>]*data-role="{role}".*?</section>', html, re.S)
    assert match, f"no {role} card"
    return match.group(0)


def figures(html: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-figure="(\w+)" data-value="(\d+)"', html)}


def items(html: str) -> list[str]:
    return re.findall(r'data-item="([^"]+)"', html)


def home(client, username: str, roles: list[str]) -> str:
    make_user(username, roles)
    client.post("/login", data={"username": username, "password": "demo"})
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_home_shows_one_card_per_role_the_user_holds(client):
    page = home(client, "two-hats", ["sales", "qc"])
    assert re.findall(r'data-role="(\w+)" data-testid="role-card"', page) == ["sales", "qc"]


def test_home_asks_a_user_without_roles_to_see_the_administrator(client):
    page = home(client, "nobody", [])
    assert 'data-testid="role-card"' not in page
    assert 'data-testid="no-roles"' in page


def test_sales_card_counts_only_my_open_orders_by_stage(client):
    me, other = make_user("s1", ["sales"]), make_user("s2", ["sales"])
    for stage in ("quote", "quote", "confirmed", "shipped"):
        add_order(stage, 30, by=me)
    add_order("quote", 30, by=other)
    shown = figures(card(home(client, "s1", ["sales"]), "sales"))
    assert shown["quote"] == 2
    assert shown["confirmed"] == 1
    assert "shipped" not in shown


def test_sales_card_lists_my_orders_due_within_7_days_soonest_first(client):
    me = make_user("s1", ["sales"])
    later, soon, late = (
        add_order("confirmed", 6, by=me),
        add_order("quote", 1, by=me),
        add_order("quote", -2, by=me),
    )
    add_order("confirmed", 8, by=me)
    add_order("shipped", 1, by=me)
    sales = card(home(client, "s1", ["sales"]), "sales")
    assert items(sales) == [late.number, soon.number, later.number]
    assert figures(sales)["due_soon"] == 3


def test_planner_card_lists_confirmed_orders_by_priority_then_due_date(client):
    b_soon, a_later, a_soon = (
        add_order("confirmed", 2),
        add_order("confirmed", 9, priority="A"),
        add_order("confirmed", 3, priority="A"),
    )
    add_order("quote", 1, priority="A")
    add_order("scheduling", 1)
    planner = card(home(client, "p1", ["planner"]), "planner")
    assert items(planner) == [a_soon.number, a_later.number, b_soon.number]
    assert figures(planner) == {"confirmed": 3, "scheduling": 1, "changes": 0}


def test_planner_card_lists_at_most_five_orders(client):
    for _ in range(7):
        add_order("confirmed", 5)
    planner = card(home(client, "p1", ["planner"]), "planner")
    assert len(items(planner)) == 5
    assert figures(planner)["confirmed"] == 7


def test_warehouse_card_counts_active_locations_per_active_warehouse(client):
    main = Warehouse(code="W1", name="成品仓")
    db.session.add_all(
        [
            main,
            Warehouse(code="W2", name="原料仓"),
            Warehouse(code="W9", name="旧仓", active=False),
            Location(warehouse=main, code="A-01"),
            Location(warehouse=main, code="A-02"),
            Location(warehouse=main, code="A-03", active=False),
        ]
    )
    db.session.commit()
    warehouse = card(home(client, "w1", ["warehouse"]), "warehouse")
    assert items(warehouse) == ["成品仓", "原料仓"]
    assert figures(warehouse) == {"warehouses": 2, "locations": 2, "changes": 0}


def test_leader_card_shows_the_team_i_lead_with_its_workshop(client):
    leader = make_user("l1", ["leader"])
    shop = Workshop(code="INJ", name="注塑车间")
    team = Team(code="T1", name="注塑一班", workshop=shop, leader_id=leader.id)
    db.session.add_all([shop, team, Team(code="T2", name="注塑二班", workshop=shop)])
    db.session.commit()
    make_user("worker", ["leader"], team_id=team.id)
    page = card(home(client, "l1", ["leader"]), "leader")
    assert items(page) == ["注塑一班"]
    assert "注塑车间" in page


def test_qc_card_lists_orders_awaiting_inspection(client):
    waiting = add_order("awaiting_qc", 4)
    add_order("in_production", 1)
    qc = card(home(client, "q1", ["qc"]), "qc")
    assert items(qc) == [waiting.number]
    assert figures(qc) == {"awaiting_qc": 1, "changes": 0}


@pytest.mark.parametrize("role", ["cs", "service"])
def test_after_sales_cards_list_orders_shipped_in_the_last_30_days_newest_first(client, role):
    older, newer, long_ago = (
        add_order("awaiting_qc", -10),
        add_order("awaiting_qc", -5),
        add_order("awaiting_qc", -60),
    )
    ship(older, days_ago=12)
    ship(newer, days_ago=1)
    ship(long_ago, days_ago=45)
    page = card(home(client, "after", [role]), role)
    assert items(page) == [newer.number, older.number]
    assert figures(page) == {"shipped_recently": 2}


def test_vp_card_counts_open_a_priority_orders_and_the_late_ones(client):
    late = add_order("in_production", -1, priority="A")
    on_time = add_order("quote", 10, priority="A")
    add_order("shipped", -1, priority="A")
    add_order("confirmed", -3, priority="B")
    vp = card(home(client, "v1", ["vp"]), "vp")
    assert figures(vp) == {"rush_waiting": 0, "a_priority": 2, "a_priority_late": 1}
    assert items(vp) == [late.number, on_time.number]


def test_vp_card_shows_the_rush_requests_waiting_for_the_vp_and_links_to_them(client):
    from domain.orders.rush_requests import RushRequest

    for status, order in (("pending_vp", add_order("confirmed", 5)), ("open", add_order("confirmed", 6))):
        db.session.add(
            RushRequest(
                order_id=order.id,
                status=status,
                requested_due_date=order.due_date,
                inputs={},
                settings={},
                scores={},
                composite=Decimal(2),
                threshold=Decimal(3),
            )
        )
    db.session.commit()
    vp = card(home(client, "v2", ["vp"]), "vp")
    assert figures(vp)["rush_waiting"] == 1
    assert 'href="/rush/?status=pending_vp"' in vp


def test_admin_card_links_to_administration(client):
    admin = card(home(client, "a1", ["admin"]), "admin")
    assert 'href="/admin/"' in admin
    assert figures(admin) == {"active_users": 1}


def test_home_page_queries_do_not_grow_with_the_number_of_orders(client):
    roles = ["sales", "planner", "qc", "vp", "cs"]
    me_id = make_user("boss", roles).id
    client.post("/login", data={"username": "boss", "password": "demo"})

    def add_one_of_each() -> None:
        me = db.session.get(User, me_id)
        for stage in ("quote", "confirmed", "awaiting_qc"):
            add_order(stage, 2, by=me, priority="A")
        ship(add_order("awaiting_qc", 1), days_ago=1)

    def queries_for_home() -> int:
        db.session.expunge_all()  # a cold identity map, as in a real request: lazy loads must show
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    add_one_of_each()
    few = queries_for_home()
    for _ in range(4):
        add_one_of_each()
    assert queries_for_home() == few


def test_a_waiting_process_notice_shows_on_the_planners_home_page(client):
    from domain.orders.changes import create_process_notice
    from tests.integration import order_data

    order_data.product("P-700")
    make_user("p7", ["planner"])
    create_process_notice("P-700", "保压时间改为 6 s", "", make_user("engineer", ["admin"]))
    planner = card(home(client, "p7", ["planner"]), "planner")
    assert figures(planner)["changes"] == 1


def test_order_quantities_on_the_cards_read_with_separators_and_chinese_units(client):
    seller = make_user("s3", ["sales"])
    add_order("in_production", 3, by=seller)
    client.post("/login", data={"username": "s3", "password": "demo"})
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "× 1,000 件" in card(page, "sales")
