"""Monthly KPIs (DESIGN §9, §3.1, §8) from recorded data: OHDI and its terms, the missing-information
rate, repair hot spots, and the XLSX export."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from domain.kpi import periods
from domain.kpi import service as kpi_service
from domain.orders.changes import ChangeNotice
from domain.orders.compliance_rules import OrderSubmission
from domain.orders.models import OrderStageEvent
from domain.orders.service import plant_today
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


def last_month() -> tuple[str, date]:
    first = plant_today().replace(day=1) - timedelta(days=1)
    return f"{first:%Y-%m}", first.replace(day=15)


def _ship(order, on: date) -> None:
    """Shipped at 10:00 plant time (02:00 UTC) on `on`."""
    order.stage = "shipped"
    db.session.add(
        OrderStageEvent(
            order_id=order.id,
            from_stage="awaiting_qc",
            to_stage="shipped",
            at=datetime(on.year, on.month, on.day, 2),
        )
    )


def _change(model, completed: datetime, hours: float) -> None:
    db.session.add(
        ChangeNotice(
            kind="process",
            product_id=model.id,
            title="t",
            created_at=completed,
            completed_at=completed,
            response_seconds=int(hours * 3600),
        )
    )


@pytest.fixture
def month_of_records(app):
    """Last month: 4 orders shipped, 3 on time; changes answered in 6 h and 10 h (mean 8 h)."""
    month, mid = last_month()
    cust, model = data.customer("C001"), data.product("P-100")
    for i, due_shift in enumerate((0, 2, 5, -1)):  # the last one shipped a day after its due date
        order = data.order_in_stage(cust, model, "awaiting_qc", number=f"SO-{i}")
        order.due_date = mid + timedelta(days=due_shift)
        _ship(order, mid)
    _change(model, datetime(mid.year, mid.month, mid.day, 3), 6)
    _change(model, datetime(mid.year, mid.month, mid.day, 5), 10)
    db.session.commit()
    return month, cust, model


def _month(body: dict, month: str) -> dict:
    return next(m for m in body["months"] if m["month"] == month)


def test_ohdi_terms_come_from_shipments_and_change_responses(client, auth, month_of_records):
    month = month_of_records[0]
    body = client.get("/api/v1/kpi/ohdi?months=3", headers=auth.headers("vp")).json
    row = _month(body, month)
    assert row["facts"]["shipped"] == 4 and row["facts"]["shipped_on_time"] == 3
    assert row["terms"]["on_time"] == 0.75
    assert row["mean_change_response_hours"] == 8.0
    assert row["terms"]["change_response"] == 0.5
    assert [m["month"] for m in body["months"]][-2] == month


def test_a_notice_never_acknowledged_counts_against_change_response(client, auth, month_of_records):
    month, _cust, model = month_of_records
    _start, month_end = periods.month_bounds_utc(month, kpi_service.zone())
    db.session.add(
        ChangeNotice(
            kind="process", product_id=model.id, title="t", created_at=month_end - timedelta(hours=10)
        )
    )
    db.session.commit()
    body = client.get("/api/v1/kpi/ohdi?months=3", headers=auth.headers("vp")).json
    row = _month(body, month)  # answered in 6 h and 10 h, one open 10 h at the month's end: mean 26/3 h
    assert row["facts"]["changes_completed"] == 2 and row["facts"]["changes_open"] == 1
    assert row["mean_change_response_hours"] == pytest.approx(26 / 3, abs=0.01)
    assert row["terms"]["change_response"] == pytest.approx(4 / (26 / 3), abs=1e-4)
    running = body["months"][-1]  # still open now: it waits in this month too, longer than 10 h
    assert running["facts"]["changes_open"] == 1 and running["mean_change_response_hours"] > 10


def test_ohdi_of_a_month_with_every_term_recorded(client, auth, month_of_records):
    pytest.importorskip("domain.quality.first_pass_yield")
    tickets = pytest.importorskip("domain.service.tickets")
    from domain.quality.inspections import FINAL, Inspection

    month, cust, model = month_of_records
    _, mid = last_month()
    qc = make_user("qc1", ["qc"])
    team = data.team_with_leader(make_user("lead1", ["leader"]).id)
    from tests.integration.test_dashboard_api import _work_order

    order = data.order_in_stage(cust, model, "in_production", number="SO-WO")
    at = datetime(mid.year, mid.month, mid.day, 4)
    for i, passed in enumerate((True, False)):  # first-pass yield 1 of 2
        wo = _work_order(order, model, team, f"WO-20260101-000{i + 1}")
        db.session.add(Inspection(work_order_id=wo.id, kind=FINAL, passed=passed, inspector_id=qc.id, at=at))
    for i, rating in enumerate((4, 5)):  # mean 4.5 → (4.5 − 1) / 4 = 0.875
        db.session.add(
            tickets.ServiceTicket(
                number=f"ST-{i}",
                customer_id=cust.id,
                serial=f"SN{i}",
                product_id=model.id,
                fault_description="不出水",
                rating=rating,
                closed_at=at,
                created_at=at,
            )
        )
    db.session.commit()
    row = _month(client.get("/api/v1/kpi/ohdi?months=3", headers=auth.headers("vp")).json, month)
    assert row["terms"] == {"on_time": 0.75, "first_pass_yield": 0.5, "change_response": 0.5, "rating": 0.875}
    # 0.75×0.4 + 0.5×0.3 + 0.5×0.2 + 0.875×0.1 = 0.3 + 0.15 + 0.1 + 0.0875
    assert row["ohdi"] == 0.6375


def test_ohdi_is_not_given_while_a_term_has_no_records(client, auth):
    body = client.get("/api/v1/kpi/ohdi?months=2", headers=auth.headers("vp")).json
    assert len(body["months"]) == 2
    assert all(m["ohdi"] is None for m in body["months"])
    assert body["weights"] == {"on_time": 0.4, "first_pass_yield": 0.3, "change_response": 0.2, "rating": 0.1}


def test_months_outside_the_allowed_range_are_refused(client, auth):
    response = client.get("/api/v1/kpi/ohdi?months=0", headers=auth.headers("vp"))
    assert response.status_code == 422
    assert "months" in response.json["error"]["fields"]


def test_missing_information_rate_per_month(client, auth, app):
    cust, model = data.customer("C001"), data.product("P-100")
    order = data.order_in_stage(cust, model, "quote", number="SO-Q")
    month = f"{plant_today():%Y-%m}"
    for failed in (0, 2, 1, 0):
        db.session.add(OrderSubmission(order_id=order.id, month=month, failed_count=failed, failed=[]))
    db.session.commit()
    body = client.get("/api/v1/kpi/missing-information?months=2", headers=auth.headers("vp")).json
    assert body["months"][-1] == {"month": month, "submissions": 4, "with_missing": 2, "rate": 0.5}
    assert body["months"][0]["rate"] is None


def test_kpi_export_is_a_workbook_with_the_ohdi_month(client, auth, month_of_records):
    month = month_of_records[0]
    auth.login("vp")
    response = client.get("/kpi/export.xlsx?months=3")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(response.data))
    sheet = book.worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[month][2] == 0.75  # on-time delivery
    assert rows[month][8] == 4  # orders shipped
    assert len(book.worksheets) == 3


def test_kpi_page_shows_the_charts_data(client, auth, month_of_records):
    auth.login("planner")
    html = client.get("/kpi/").get_data(as_text=True)
    assert 'data-testid="kpi-ohdi-chart"' in html
    assert month_of_records[0] in html
