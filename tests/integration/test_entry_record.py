"""Entry errors per user (refused submissions, corrections after submission) and the points two
error-free weeks earn, on the user's own page and the admin overview (DESIGN §10)."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.adoption import entry_errors
from domain.clock import utcnow
from domain.masterdata import Customer, Product
from domain.orders.compliance_rules import OrderSubmission
from domain.users import User
from extensions import db
from tests.integration import order_data

ORDER = {
    "customer_code": "C001",
    "product_model": "P-100",
    "quantity": "1000",
    "flame_grade": "V-0",
    "packaging": "纸箱",
}


@pytest.fixture
def plant(app):
    cust = order_data.customer("C001")
    prod = order_data.product("P-100")
    order_data.price(cust, prod, unit_price="10")


def user(name: str) -> User:
    return db.session.scalars(db.select(User).where(User.username == name)).one()


def this_week(client, headers, app):
    zone = ZoneInfo(app.config["PLANT_TIMEZONE"])
    return entry_errors.record_for(user("sales"), zone).weeks[-1].tally


def test_a_refused_submission_and_a_correction_after_submission_count_as_entry_errors(
    client, auth, plant, app
):
    headers = auth.headers("sales")
    body = {**ORDER, "due_date": order_data.days_from_today(30)}
    order_id = client.post("/api/v1/orders", json=body, headers=headers).json["id"]
    assert client.post(f"/api/v1/orders/{order_id}/submit", headers=headers).status_code == 422  # no drawing
    upload = {"file": (io.BytesIO(order_data.PNG), "d.png")}
    client.post(f"/api/v1/orders/{order_id}/drawing", data=upload, headers=headers)
    assert client.post(f"/api/v1/orders/{order_id}/submit", headers=headers).status_code == 200
    patched = client.patch(f"/api/v1/orders/{order_id}", json={"packaging": "托盘"}, headers=headers)
    assert patched.status_code == 200
    tally = this_week(client, headers, app)
    assert (tally.submissions, tally.refused, tally.corrections) == (2, 1, 1)


def test_edits_of_a_quote_are_not_corrections(client, auth, plant, app):
    headers = auth.headers("sales")
    body = {**ORDER, "due_date": order_data.days_from_today(30)}
    order_id = client.post("/api/v1/orders", json=body, headers=headers).json["id"]
    client.patch(f"/api/v1/orders/{order_id}", json={"packaging": "托盘"}, headers=headers)
    client.post(f"/api/v1/orders/{order_id}/submit", headers=headers)
    assert this_week(client, headers, app).corrections == 0


def _submissions_in_past_weeks(user_id: int, order_id: int, failed_by_weeks_ago: dict[int, int]) -> None:
    for weeks_ago, failed in failed_by_weeks_ago.items():
        at = utcnow() - timedelta(weeks=weeks_ago)
        db.session.add(
            OrderSubmission(
                order_id=order_id, user_id=user_id, at=at, month=at.strftime("%Y-%m"), failed_count=failed
            )
        )
    db.session.commit()


def test_two_error_free_weeks_show_points_on_the_users_page_and_the_overview(client, auth, plant):
    auth.login("sales")
    sales = user("sales")
    customer = db.session.scalars(db.select(Customer)).one()
    product = db.session.scalars(db.select(Product)).one()
    order = order_data.order_in_stage(customer, product, "confirmed", number="SO-1", created_by_id=sales.id)
    _submissions_in_past_weeks(sales.id, order.id, {4: 1, 3: 0, 2: 0})
    page = client.get("/me/entry-record")
    assert page.status_code == 200
    assert 'data-testid="points-total">10<' in page.text
    assert 'data-figure="entry_points" data-value="10"' in client.get("/").text  # the home card
    auth.logout()
    auth.login("admin")
    overview = client.get("/admin/entry-errors/")
    assert overview.status_code == 200
    assert 'data-user="sales"' in overview.text and "<td>10</td>" in overview.text


def test_overview_is_for_admins(client, auth):
    auth.login("sales")
    assert client.get("/admin/entry-errors/").status_code == 403
