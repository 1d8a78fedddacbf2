"""Order sheets over HTTP: export and blank template downloads, the upload page and its background
job polled through the API until it finishes, who may do what."""

import io
import time
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from domain.exchange.order_sheet import ORDER_COLUMNS
from domain.orders.models import Order
from domain.users import User
from extensions import db
from tests.integration import order_data
from tests.integration.order_sheets import row, write_sheet

pytestmark = pytest.mark.config(DELIVERY_WORKER="thread")  # the worker runs the imports, in this process


@pytest.fixture
def plant(app):
    cust = order_data.customer("C001")
    prod = order_data.product("P-100")
    order_data.price(cust, prod, unit_price="10")
    return {"customer": cust, "product": prod}


def finished(client, job_url: str, headers=None) -> dict:
    for _ in range(300):
        job = client.get(job_url, headers=headers or {}).json
        if job["finished"]:
            return job
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def sheet_bytes(tmp_path, rows) -> bytes:
    return write_sheet(tmp_path / "orders.xlsx", rows).read_bytes()


def test_export_downloads_the_orders_in_the_template(client, auth, plant):
    order_data.order_in_stage(plant["customer"], plant["product"], "confirmed", number="SO-20261125-0001")
    auth.login("admin")  # a role that deals in prices gets every column (test_price_visibility: the others)
    response = client.get("/orders/excel/orders.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(c.title for c in ORDER_COLUMNS)
    assert rows[1][:3] == ("SO-20261125-0001", "C001", "P-100") and rows[1][-1] == "已确认"


def test_a_salesperson_exports_only_their_own_orders(client, auth, plant):
    auth.login("sales")
    sales = db.session.scalars(select(User).where(User.username == "sales")).one()
    mine = order_data.order_in_stage(
        plant["customer"], plant["product"], "quote", number="SO-M", created_by_id=sales.id
    )
    order_data.order_in_stage(plant["customer"], plant["product"], "quote", number="SO-X")
    response = client.get("/orders/excel/orders.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [mine.number]


def test_blank_template_has_the_chinese_headers_and_no_rows(client, auth):
    auth.login("sales")
    response = client.get("/orders/excel/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == [c.title for c in ORDER_COLUMNS]
    assert sheet.max_row == 1 or all(
        v is None for r in sheet.iter_rows(min_row=2, values_only=True) for v in r
    )


def test_upload_page_runs_the_import_and_shows_the_result(client, auth, plant, tmp_path):
    auth.login("sales")
    data = {"file": (io.BytesIO(sheet_bytes(tmp_path, [row("PO-1"), row("PO-2")])), "orders.xlsx")}
    response = client.post("/orders/excel/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    job_page = response.location
    job_id = int(job_page.rstrip("/").rsplit("/", 1)[1])
    job = finished(client, f"/api/v1/order-imports/{job_id}")
    assert (job["status"], job["created"], job["error_count"]) == ("done", 2, 0)
    page = client.get(job_page)
    assert 'data-testid="import-done"' in page.text
    assert db.session.execute(select(func.count(Order.id))).scalar_one() == 2


def test_a_bad_file_over_the_api_lists_each_bad_cell_and_applies_nothing(client, auth, plant, tmp_path):
    headers = auth.headers("sales")
    rows = [row("PO-1"), row("PO-2", customer="C999"), row("PO-3", qty=0), row("PO-4", days=-1)]
    data = {"file": (io.BytesIO(sheet_bytes(tmp_path, rows)), "bad.xlsx")}
    response = client.post(
        "/api/v1/order-imports", data=data, headers=headers, content_type="multipart/form-data"
    )
    assert response.status_code == 202, response.json
    job = finished(client, f"/api/v1/order-imports/{response.json['id']}", headers)
    assert job["status"] == "refused" and job["error_count"] == 3
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(3, "客户"), (4, "数量"), (5, "交期")]
    assert db.session.execute(select(func.count(Order.id))).scalar_one() == 0


def test_formats_unknown_parties_and_order_rules_are_all_reported_in_one_response(
    client, auth, plant, tmp_path
):
    headers = {**auth.headers("sales"), "Accept-Language": "zh-CN"}
    rows = [
        row("PO-1", customer="C999", days=-3, 优先级="Z"),  # row 2: a format, an unknown customer, a rule
        row("PO-2", qty="很多"),  # row 3: a format
        row("PO-3", model="X-404"),  # row 4: an unknown model
        row("PO-4", qty=0),  # row 5: an order rule
    ]
    data = {"file": (io.BytesIO(sheet_bytes(tmp_path, rows)), "bad.xlsx")}
    response = client.post(
        "/api/v1/order-imports", data=data, headers=headers, content_type="multipart/form-data"
    )
    job = finished(client, f"/api/v1/order-imports/{response.json['id']}", headers)
    found = {(e["row"], e["column"], e["value"]) for e in job["errors"]}
    assert found == {
        (2, "优先级", "Z"),
        (2, "客户", "C999"),
        (2, "交期", (order_data.plant_today() - timedelta(days=3)).isoformat()),
        (3, "数量", "很多"),
        (4, "产品型号", "X-404"),
        (5, "数量", "0"),
    }
    assert job["status"] == "refused" and job["error_count"] == 6
    assert all(not e["message"].isascii() for e in job["errors"])
    assert db.session.execute(select(func.count(Order.id))).scalar_one() == 0


def test_the_job_page_lists_the_bad_cells(client, auth, plant, tmp_path):
    auth.login("sales")
    data = {"file": (io.BytesIO(sheet_bytes(tmp_path, [row("PO-1", qty=0)])), "bad.xlsx")}
    job_page = client.post("/orders/excel/import", data=data, content_type="multipart/form-data").location
    finished(client, "/api/v1/order-imports/" + job_page.rstrip("/").rsplit("/", 1)[1])
    page = client.get(job_page)
    assert 'data-testid="import-errors"' in page.text and "<td>数量</td>" in page.text


def test_a_file_that_is_not_xlsx_is_refused_at_once(client, auth):
    headers = auth.headers("sales")
    data = {"file": (io.BytesIO("订单号,客户\n".encode("gbk")), "orders.csv")}
    response = client.post(
        "/api/v1/order-imports", data=data, headers=headers, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and response.json["error"]["code"] == "not_xlsx"


def test_a_sheet_without_order_columns_is_refused_with_the_missing_columns(client, auth, plant, tmp_path):
    headers = auth.headers("admin")
    data = {
        "file": (
            io.BytesIO(write_sheet(tmp_path / "x.xlsx", [["x"]], headers=["名称"]).read_bytes()),
            "x.xlsx",
        )
    }
    response = client.post(
        "/api/v1/order-imports", data=data, headers=headers, content_type="multipart/form-data"
    )
    job = finished(client, f"/api/v1/order-imports/{response.json['id']}", headers)
    assert job["status"] == "refused" and "客户" in job["message"]


def test_warehouse_may_export_but_not_import(client, auth):
    auth.login("warehouse")
    assert client.get("/orders/excel/orders.xlsx").status_code == 200
    data = {"file": (io.BytesIO(b"PK\x03\x04"), "x.xlsx")}
    assert (
        client.post("/orders/excel/import", data=data, content_type="multipart/form-data").status_code == 403
    )


def test_another_users_import_is_not_found(client, auth, plant, tmp_path):
    headers = auth.headers("sales")
    data = {"file": (io.BytesIO(sheet_bytes(tmp_path, [row("PO-1")])), "o.xlsx")}
    job_id = client.post(
        "/api/v1/order-imports", data=data, headers=headers, content_type="multipart/form-data"
    ).json["id"]
    finished(client, f"/api/v1/order-imports/{job_id}", headers)
    other = auth.headers("sales", username="sales2")
    assert client.get(f"/api/v1/order-imports/{job_id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/order-imports/{job_id}", headers=auth.headers("admin")).status_code == 200


def test_a_damaged_workbook_is_refused_with_a_message(client, auth):
    headers = auth.headers("sales")
    data = {"file": (io.BytesIO(b"PK\x03\x04 not really a workbook"), "broken.xlsx")}
    response = client.post(
        "/api/v1/order-imports", data=data, headers=headers, content_type="multipart/form-data"
    )
    job = finished(client, f"/api/v1/order-imports/{response.json['id']}", headers)
    assert job["status"] == "refused" and job["message"]
