"""The order pages as a user meets them on a phone: create, see every failed rule in plain words, fix,
submit; the detail with its history; changes highlighted until acknowledged; the rush page and the
VP's decision; the admin page for the rules."""

import io
import re
from datetime import datetime

import pytest

from domain.orders.changes import ChangeNotice
from domain.orders.compliance_rules import ComplianceRule, ensure_default_rules
from domain.orders.models import Order, OrderStageEvent
from domain.orders.rush_requests import RushRequest
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")


def order_form(**fields) -> dict:
    return {
        "customer_code": "C001",
        "product_model": "P-100",
        "quantity": "300",
        "due_date": data.days_from_today(25),
        "priority": "B",
        "flame_grade": "",
        "packaging": "",
        "unit_price": "",
        **fields,
    }


def rule_items(html: str) -> list[str]:
    return re.findall(r'<li data-rule="([a-z_]+)">', html)


def test_sales_creates_an_order_sees_every_failed_rule_fixes_them_and_submits(client, auth):
    data.customer("C001")
    data.product("P-100")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"  # a salesperson's phone in the plant
    auth.login("sales")
    page = client.post("/orders/new", data={**order_form(), "action": "submit"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert rule_items(html) == ["sample_drawing", "flame_grade", "packaging", "unit_price"]
    assert "请上传客户签样图。" in html  # the rule's message, in the phone's language
    order = db.session.execute(db.select(Order)).scalar_one()
    assert order.stage == "quote"

    fixed = order_form(
        flame_grade="V-0",
        packaging="纸箱",
        unit_price="8.5",
        price_override_reason="首单优惠",
        drawing=(io.BytesIO(data.PDF), "签样图.pdf"),
        action="submit",
    )
    page = client.post(f"/orders/{order.id}/edit", data=fixed, follow_redirects=True)
    assert page.status_code == 200
    db.session.expire_all()
    assert db.session.get(Order, order.id).stage == "confirmed"
    assert 'data-testid="failed-rules"' not in page.get_data(as_text=True)


def test_invalid_form_input_is_shown_under_the_field(client, auth):
    data.product("P-100")
    auth.login("sales")
    page = client.post("/orders/new", data=order_form(customer_code="NOPE", action="save"))
    assert page.status_code == 422
    assert "NOPE" in page.get_data(as_text=True)
    assert db.session.execute(db.select(Order)).first() is None


def test_list_filters_by_stage_and_pages_on(client, auth):
    cust, prod = data.customer("C001"), data.product("P-100")
    for i in range(35):
        data.order_in_stage(cust, prod, "scheduling" if i < 33 else "quote", number=f"SO-P-{i:02d}", due_in=i)
    auth.login("planner")
    first = client.get("/orders/?stage=scheduling").get_data(as_text=True)
    assert "33 orders" in first or "33 个订单" in first or ">33" in first
    assert first.count('data-order="SO-P-') == 30
    cursor = re.search(r'href="(/orders/\?[^"]*cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(cursor).get_data(as_text=True)
    assert re.findall(r'data-order="(SO-P-\d+)"', second) == ["SO-P-30", "SO-P-31", "SO-P-32"]


def test_detail_shows_the_full_history(client, auth):
    data.customer("C001")
    data.product("P-100")
    auth.login("sales")
    client.post("/orders/new", data={**order_form(), "action": "submit"})
    order = db.session.execute(db.select(Order)).scalar_one()
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-testid="stage-history"' in html
    assert "order_create" in html and "order_submit_refused" in html  # the audit log
    assert 'data-testid="failed-rules"' in html


def test_detail_shows_stored_times_in_plant_time(client, auth):
    sales = make_user("sales", ["sales"])
    order = data.order_in_stage(
        data.customer("C001"), data.product("P-100"), "confirmed", number="SO-T-1", created_by_id=sales.id
    )
    at = datetime(2026, 12, 6, 22, 57)  # stored UTC: 06:57 the next morning in Shanghai
    db.session.add(
        OrderStageEvent(order_id=order.id, from_stage="quote", to_stage="confirmed", at=at, user_id=sales.id)
    )
    db.session.commit()
    auth.login("sales")
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "2026-12-07 06:57" in html
    assert "2026-12-06 22:57" not in html and " UTC" not in html


def test_leader_sees_a_changed_order_highlighted_until_acknowledged(app, client, auth):
    sales = make_user("sales", ["sales"])
    leader = make_user("leader", ["leader"])
    prod = data.product("P-100")
    data.team_with_leader(leader.id)
    order = data.order_in_stage(
        data.customer("C001"), prod, "confirmed", number="SO-H-1", created_by_id=sales.id
    )
    auth.login("sales")
    client.post(
        f"/orders/{order.id}/edit",
        data={
            **order_form(flame_grade="V-0", packaging="托盘", unit_price="10"),
            "note": "客户来电",
            "action": "save",
        },
    )
    notice = db.session.execute(db.select(ChangeNotice)).scalar_one()
    assert notice.changes["packaging"] == ["carton", "托盘"]
    auth.logout()
    auth.login("leader")
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-testid="unacknowledged"' in html
    assert 'class="fact changed" id="field-packaging"' in html
    assert f'data-change="{notice.id}"' in client.get("/changes/").get_data(as_text=True)
    assert 'data-testid="changed-SO-H-1"' in client.get("/orders/").get_data(as_text=True)
    client.post(f"/changes/{notice.id}/ack?next=/orders/{order.id}", follow_redirects=True)
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-testid="unacknowledged"' not in html
    assert 'class="fact changed"' not in html
    assert 'data-testid="changed-SO-H-1"' not in client.get("/orders/").get_data(as_text=True)


def test_confirmed_order_saves_from_its_page_which_has_no_customer_or_model_fields(client, auth):
    sales = make_user("sales", ["sales"])
    order = data.order_in_stage(
        data.customer("C001"), data.product("P-100"), "confirmed", number="SO-E-1", created_by_id=sales.id
    )
    auth.login("sales")
    form = order_form(
        flame_grade="V-0", packaging="carton", unit_price="10", due_date=data.days_from_today(2)
    )
    del form["customer_code"], form["product_model"]  # what the confirmed order's page sends
    response = client.post(f"/orders/{order.id}/edit", data={**form, "action": "save"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, order.id).due_date.isoformat() == data.days_from_today(2)


def test_planner_sends_a_process_change_notice_from_the_page(client, auth):
    make_user("planner2", ["planner"])
    data.product("P-100")
    auth.login("planner")
    page = client.post(
        "/changes/process/new",
        data={"product_model": "P-100", "title": "保压时间 8→10 s", "body": "首件需重新检验"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    notice = db.session.execute(db.select(ChangeNotice)).scalar_one()
    assert (notice.kind, notice.title) == ("process", "保压时间 8→10 s")
    assert [r.user.username for r in notice.recipients] == ["planner2"]  # the author already knows


def test_rush_page_shows_every_dimension_with_why_and_the_vp_decides_with_a_comment(client, auth):
    sales = make_user("sales", ["sales"])
    cust, prod = data.customer("C001"), data.product("P-100")
    order = data.order_in_stage(cust, prod, "confirmed", number="SO-RU-1", created_by_id=sales.id)
    auth.login("sales")
    page = client.post(
        f"/rush/new/{order.id}",
        data={"requested_due_date": data.days_from_today(14), "reason": "急"},
        follow_redirects=True,
    )
    html = page.get_data(as_text=True)
    assert re.findall(r'data-dimension="(\w+)"', html) == [
        "customer",
        "margin",
        "complexity",
        "urgency",
        "material",
    ]
    assert html.count('class="why"') == 5
    rush = db.session.execute(db.select(RushRequest)).scalar_one()
    assert rush.status == "pending_vp"
    auth.logout()
    auth.login("vp")
    assert 'data-testid="approve-rush"' in client.get(f"/rush/{rush.id}").get_data(as_text=True)
    refused = client.post(f"/rush/{rush.id}/decision", data={"decision": "approve", "comment": ""})
    assert refused.status_code == 422
    client.post(f"/rush/{rush.id}/decision", data={"decision": "approve", "comment": "同意"})
    db.session.expire_all()
    assert db.session.get(RushRequest, rush.id).status == "approved"
    assert db.session.get(Order, order.id).is_rush


def test_admin_switches_a_rule_off_rewords_it_and_adds_a_required_field(client, auth):
    ensure_default_rules()
    rule = db.session.execute(
        db.select(ComplianceRule).where(ComplianceRule.code == "packaging")
    ).scalar_one()
    auth.login("admin")
    assert 'data-rule="packaging"' in client.get("/admin/order-rules/").get_data(as_text=True)
    prefix = f"r{rule.id}-"
    client.post(
        f"/admin/order-rules/rules/{rule.id}",
        data={f"{prefix}message_zh": "请写明包装。", f"{prefix}message_en": "Say how it is packed."},
    )
    db.session.expire_all()
    changed = db.session.get(ComplianceRule, rule.id)
    assert (changed.active, changed.message_zh) == (False, "请写明包装。")
    client.post(
        "/admin/order-rules/rules/new",
        data={
            "new-field": "original_ref",
            "new-message_zh": "请填写客户订单号。",
            "new-message_en": "Give the PO.",
        },
    )
    assert (
        db.session.execute(db.select(ComplianceRule).where(ComplianceRule.code == "required_original_ref"))
        .scalar_one()
        .kind
        == "required"
    )


def test_admin_changes_the_rush_threshold_on_the_page(client, auth):
    auth.login("admin")
    html = client.get("/admin/order-rules/").get_data(as_text=True)
    fields = dict(
        re.findall(
            r'name="((?:weight|rank|margin|threshold|urgency|kitting|complexity|workday)[a-z_0-9]*)"'
            r' value="([^"]*)"',
            html,
        )
    )
    fields["threshold"] = "3.8"
    client.post("/admin/order-rules/rush-settings", data=fields)
    from domain.orders.rush_requests import load_settings

    assert str(load_settings().threshold) == "3.8"


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("warehouse", "/orders/new"),
        ("sales", "/admin/order-rules/"),
        ("leader", "/rush/"),
        ("cs", "/changes/process/new"),
    ],
)
def test_pages_refuse_roles_they_are_not_for(client, auth, role, path):
    auth.login(role)
    assert client.get(path).status_code == 403


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_order_form_without_its_csrf_token_is_refused(client):
    data.customer("C001")
    data.product("P-100")
    make_user("sales", ["sales"])
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "sales", "password": "demo", "csrf_token": token})
    refused = client.post("/orders/new", data={**order_form(), "action": "save"})
    assert refused.status_code == 400
    assert db.session.execute(db.select(Order)).first() is None
    token = csrf_token(client.get("/orders/new").get_data(as_text=True))
    saved = client.post("/orders/new", data={**order_form(), "action": "save", "csrf_token": token})
    assert saved.status_code == 302
    assert db.session.execute(db.select(Order)).scalar_one().quantity == 300
