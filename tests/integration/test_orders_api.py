"""The order API (DESIGN §3, §3.1): creating, every failed rule at once, fixing them one by one,
stages with their history, the list, and who sees which orders."""

import io

import pytest

from domain.audit import AuditLog
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import Order, OrderStageEvent
from domain.orders.service import plant_today
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data

ALL_EIGHT = [
    "sample_drawing",
    "flame_grade",
    "packaging",
    "customer",
    "product_bom",
    "quantity",
    "due_date",
    "unit_price",
]


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")


def create(client, headers, **fields):
    body = {"customer_code": "C001", "product_model": "P-100", "due_date": data.days_from_today(20), **fields}
    return client.post("/api/v1/orders", json=body, headers=headers)


def submit(client, headers, order_id):
    return client.post(f"/api/v1/orders/{order_id}/submit", headers=headers)


def failed_codes(response) -> list[str]:
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "compliance_failed"
    return [rule["code"] for rule in response.json["error"]["rules"]]


def test_order_missing_all_mandatory_data_gets_all_eight_failed_rules_in_one_response(client, auth):
    data.customer("BAD", blocked=True)
    data.product("P-NOBOM", active_bom=False)
    headers = {**auth.headers("sales"), "Accept-Language": "en"}
    created = create(
        client, headers, customer_code="BAD", product_model="P-NOBOM", quantity="0", due_date=data.yesterday()
    )
    assert created.status_code == 201, created.json
    response = submit(client, headers, created.json["id"])
    assert failed_codes(response) == ALL_EIGHT
    error = response.json["error"]
    assert set(error["fields"]) == {
        "sample_drawing",
        "flame_grade",
        "packaging",
        "customer_code",
        "product_model",
        "quantity",
        "due_date",
        "unit_price",
    }
    assert error["rules"][0]["message"] == "Upload the customer's signed sample drawing."
    assert db.session.get(Order, created.json["id"]).stage == "quote"


def test_fixing_rules_one_by_one_shortens_the_list_until_submission_succeeds(client, auth):
    data.customer("BAD", blocked=True)
    data.customer("C001")
    data.product("P-NOBOM", active_bom=False)
    data.product("P-100")
    headers = auth.headers("sales")
    order_id = create(
        client, headers, customer_code="BAD", product_model="P-NOBOM", quantity="0", due_date=data.yesterday()
    ).json["id"]
    remaining = list(ALL_EIGHT)
    assert failed_codes(submit(client, headers, order_id)) == remaining

    upload = {"file": (io.BytesIO(data.PDF), "签样图.pdf")}
    assert client.post(f"/api/v1/orders/{order_id}/drawing", data=upload, headers=headers).status_code == 201
    fixes = [
        ("flame_grade", {"flame_grade": "V-0"}),
        ("packaging", {"packaging": "纸箱 50 pcs/carton"}),
        ("customer", {"customer_code": "C001"}),
        ("product_bom", {"product_model": "P-100"}),
        ("quantity", {"quantity": "500"}),
        ("due_date", {"due_date": data.days_from_today(30)}),
        ("unit_price", {"unit_price": "12.5", "price_override_reason": "新客户首单"}),
    ]
    remaining.remove("sample_drawing")
    assert failed_codes(submit(client, headers, order_id)) == remaining
    for code, patch in fixes[:-1]:
        assert client.patch(f"/api/v1/orders/{order_id}", json=patch, headers=headers).status_code == 200
        remaining.remove(code)
        assert failed_codes(submit(client, headers, order_id)) == remaining
    assert remaining == ["unit_price"]
    client.patch(f"/api/v1/orders/{order_id}", json=fixes[-1][1], headers=headers)
    done = submit(client, headers, order_id)
    assert done.status_code == 200, done.json
    assert done.json["stage"] == "confirmed"


def test_price_list_price_is_filled_in_and_needs_no_reason(client, auth):
    cust, prod = data.customer("C001"), data.product("P-100")
    data.price(cust, prod, unit_price="9.80")
    headers = auth.headers("sales")
    created = create(client, headers, quantity="100", flame_grade="HB", packaging="bag")
    assert created.json["unit_price"] == "9.8000"
    assert failed_codes(submit(client, headers, created.json["id"])) == ["sample_drawing"]


def test_every_submission_is_logged_for_the_missing_information_rate(client, auth):
    data.customer("C001")
    data.product("P-100")
    headers = auth.headers("sales")
    order_id = create(
        client,
        headers,
        quantity="10",
        flame_grade="V-2",
        packaging="box",
        unit_price="5",
        price_override_reason="sample",
    ).json["id"]
    submit(client, headers, order_id)  # no drawing: refused
    client.post(
        f"/api/v1/orders/{order_id}/drawing", data={"file": (io.BytesIO(data.PNG), "d.png")}, headers=headers
    )
    assert submit(client, headers, order_id).status_code == 200
    rows = db.session.execute(db.select(OrderSubmission).order_by(OrderSubmission.id)).scalars().all()
    assert [r.failed for r in rows] == [["sample_drawing"], []]
    month = plant_today().strftime("%Y-%m")
    rate = client.get("/api/v1/orders/missing-information-rate", headers=headers).json
    assert rate == [{"month": month, "submissions": 2, "with_missing": 1, "rate": 0.5}]


def test_order_numbers_are_generated_per_day_and_unique(client, auth):
    data.customer("C001")
    data.product("P-100")
    headers = auth.headers("sales")
    numbers = [create(client, headers).json["number"] for _ in range(3)]
    prefix = f"SO-{plant_today():%Y%m%d}-"
    assert numbers == [f"{prefix}0001", f"{prefix}0002", f"{prefix}0003"]


def test_unknown_customer_code_is_a_field_error_and_creates_nothing(client, auth):
    data.product("P-100")
    response = create(client, auth.headers("sales"), customer_code="NOPE")
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"customer_code"}
    assert db.session.execute(db.select(Order)).first() is None


def test_stage_transitions_are_timestamped_attributed_and_audited(client, auth):
    cust, prod = data.customer("C001"), data.product("P-100")
    order = data.order_in_stage(cust, prod, "confirmed", number="SO-T-1")
    planner = auth.headers("planner")
    response = client.post(
        f"/api/v1/orders/{order.id}/transition", json={"to": "scheduling"}, headers=planner
    )
    assert response.status_code == 200, response.json
    assert response.json["next_stages"] == ["in_production", "on_hold", "cancelled"]
    event = db.session.execute(
        db.select(OrderStageEvent).where(OrderStageEvent.to_stage == "scheduling")
    ).scalar_one()
    planner_user = make_user("planner", ["planner"])
    assert (event.from_stage, event.user_id) == ("confirmed", planner_user.id)
    assert event.at is not None
    audit = db.session.execute(db.select(AuditLog).where(AuditLog.action == "order_stage")).scalar_one()
    assert audit.changes == {"stage": ["confirmed", "scheduling"]}
    assert audit.user_id == planner_user.id


def test_illegal_transition_is_409_and_changes_nothing(client, auth):
    order = data.order_in_stage(data.customer("C001"), data.product("P-100"), "confirmed", number="SO-T-2")
    response = client.post(
        f"/api/v1/orders/{order.id}/transition", json={"to": "shipped"}, headers=auth.headers("qc")
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "illegal_transition"
    db.session.expire_all()
    assert db.session.get(Order, order.id).stage == "confirmed"


def test_role_that_does_not_own_the_step_cannot_make_it(client, auth):
    order = data.order_in_stage(data.customer("C001"), data.product("P-100"), "awaiting_qc", number="SO-T-3")
    response = client.post(
        f"/api/v1/orders/{order.id}/transition", json={"to": "shipped"}, headers=auth.headers("leader")
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden_transition"


def test_shipped_order_cannot_be_cancelled(client, auth):
    order = data.order_in_stage(data.customer("C001"), data.product("P-100"), "shipped", number="SO-T-4")
    response = client.post(
        f"/api/v1/orders/{order.id}/transition", json={"to": "cancelled"}, headers=auth.headers("vp")
    )
    assert response.status_code == 409


def test_confirmed_order_keeps_its_customer(client, auth):
    cust, prod = data.customer("C001"), data.product("P-100")
    data.customer("C002")
    sales = make_user("sales", ["sales"])
    order = data.order_in_stage(cust, prod, "confirmed", number="SO-T-5", created_by_id=sales.id)
    response = client.patch(
        f"/api/v1/orders/{order.id}", json={"customer_code": "C002"}, headers=auth.headers("sales")
    )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"customer_code"}


def test_salesperson_sees_own_orders_only_and_others_see_all(client, auth):
    cust, prod = data.customer("C001"), data.product("P-100")
    mine = make_user("sales", ["sales"])
    other = make_user("sales2", ["sales"])
    data.order_in_stage(cust, prod, "quote", number="SO-A", created_by_id=mine.id)
    theirs = data.order_in_stage(cust, prod, "quote", number="SO-B", created_by_id=other.id)
    headers = auth.headers("sales")
    listed = client.get("/api/v1/orders", headers=headers).json
    assert [o["number"] for o in listed["items"]] == ["SO-A"]
    assert client.get(f"/api/v1/orders/{theirs.id}", headers=headers).status_code == 403
    planner_list = client.get("/api/v1/orders", headers=auth.headers("planner")).json
    assert planner_list["total"] == 2


def test_list_filters_sorts_and_pages_with_a_cursor(client, auth):
    cust, prod = data.customer("C001"), data.product("P-100")
    for i in range(7):
        data.order_in_stage(cust, prod, "confirmed" if i % 2 else "quote", number=f"SO-L-{i}", due_in=10 + i)
    headers = auth.headers("planner")
    first = client.get("/api/v1/orders?stage=quote&sort=-due_date&limit=3", headers=headers).json
    assert first["total"] == 4
    assert [o["number"] for o in first["items"]] == ["SO-L-6", "SO-L-4", "SO-L-2"]
    second = client.get(
        f"/api/v1/orders?stage=quote&sort=-due_date&limit=3&cursor={first['next_cursor']}", headers=headers
    ).json
    assert [o["number"] for o in second["items"]] == ["SO-L-0"]
    assert second["next_cursor"] is None
    by_number = client.get("/api/v1/orders?number=so-l-3", headers=headers).json
    assert [o["number"] for o in by_number["items"]] == ["SO-L-3"]


def test_bad_cursor_is_a_clear_error(client, auth):
    response = client.get("/api/v1/orders?cursor=garbage", headers=auth.headers("planner"))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_cursor"


def test_order_detail_lists_failed_rules_and_stage_history(client, auth):
    data.customer("C001")
    data.product("P-100")
    headers = auth.headers("sales")
    order_id = create(client, headers, quantity="5").json["id"]
    detail = client.get(f"/api/v1/orders/{order_id}", headers=headers).json
    assert [r["code"] for r in detail["failed_rules"]] == [
        "sample_drawing",
        "flame_grade",
        "packaging",
        "unit_price",
    ]
    assert [(e["from_stage"], e["to_stage"], e["user"]) for e in detail["stage_events"]] == [
        (None, "quote", "sales")
    ]
