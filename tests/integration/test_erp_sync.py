"""`flask erp-sync SOURCE` (DESIGN §2) with real files made here: CSV from Chinese Excel (GBK, UTF-8
with BOM), XLSX with merged header cells, JSON from a URL; idempotent, all or nothing, with history."""

import codecs
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from domain.audit import AuditLog
from domain.exchange.erp_sync import ErpSync, run_sync
from domain.masterdata import Customer, PriceListEntry
from extensions import db
from tests.integration import order_data

CUSTOMERS_CSV = (
    "客户编码,客户名称,地址,冻结,近12个月采购额\r\n"
    'C101,东莞市长安精密塑胶有限公司,长安镇振安中路,否,"1,200,000"\r\n'
    "C102,深圳市宝安电子厂,宝安区福永,是,35000.5\r\n"
)


def sync(runner, path):
    return runner.invoke(args=["erp-sync", str(path)])


def customers() -> dict[str, Customer]:
    db.session.expire_all()
    return {c.code: c for c in db.session.scalars(select(Customer))}


def audit_rows() -> int:
    return db.session.execute(select(func.count(AuditLog.id))).scalar_one()


def test_gbk_csv_creates_customers_with_their_chinese_names(runner, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(CUSTOMERS_CSV.encode("gbk"))
    result = sync(runner, path)
    assert result.exit_code == 0, result.output
    assert "(gb18030)" in result.output
    assert "customers: 2 created, 0 updated, 0 unchanged, 0 rejected" in result.output
    found = customers()
    assert found["C101"].name == "东莞市长安精密塑胶有限公司"
    assert found["C101"].purchase_12m == Decimal("1200000")
    assert (found["C101"].blocked, found["C102"].blocked) == (False, True)


def test_utf8_bom_csv_of_prices_and_the_second_run_changes_nothing(runner, tmp_path):
    cust = order_data.customer("C201")
    order_data.product("P-100")
    path = tmp_path / "prices.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + "客户编码,产品型号,单价,成本,币种\nC201,P-100,3.60,2.95,CNY\n".encode()
    )
    first = sync(runner, path)
    assert first.exit_code == 0, first.output
    assert "(utf-8-sig)" in first.output and "prices: 1 created" in first.output
    entry = db.session.scalars(select(PriceListEntry).where(PriceListEntry.customer_id == cust.id)).one()
    assert (entry.unit_price, entry.unit_cost) == (Decimal("3.6"), Decimal("2.95"))
    audits = audit_rows()
    second = sync(runner, path)
    assert "prices: 0 created, 0 updated, 1 unchanged, 0 rejected" in second.output
    assert audit_rows() == audits  # nothing written, nothing audited


def test_changed_row_is_updated_and_audited(runner, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(CUSTOMERS_CSV.encode("gbk"))
    sync(runner, path)
    path.write_bytes(CUSTOMERS_CSV.replace("宝安区福永", "宝安区沙井").encode("gbk"))
    result = sync(runner, path)
    assert "customers: 0 created, 1 updated, 1 unchanged, 0 rejected" in result.output
    assert customers()["C102"].address == "宝安区沙井"
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "customer_update")).one()
    assert row.changes == {"address": ["宝安区福永", "宝安区沙井"]} and row.device == "erp-sync"


def test_a_file_with_bad_rows_applies_nothing_and_names_each_row(runner, tmp_path):
    path = tmp_path / "customers.csv"
    bad = CUSTOMERS_CSV + "C103,,x,否,\r\nC101,重复,x,否,\r\nC104,某厂,x,也许,\r\n"
    path.write_bytes(bad.encode("gbk"))
    assert sync(runner, path).exit_code == 1
    assert customers() == {}
    run = db.session.scalars(select(ErpSync)).one()
    assert (run.status, run.created, run.rejected) == ("refused", 2, 3)
    assert [(r["row"], r["key"]) for r in run.rejections] == [(4, "C103"), (5, "C101"), (6, "C104")]
    assert run.rejections[0]["reason"].startswith("客户名称:")
    assert run.rejections[2]["reason"].startswith("冻结:")


def test_rejection_reasons_say_what_to_fix(app, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes((CUSTOMERS_CSV + "C101,重复,x,否,\r\n").encode("gbk"))
    with force_locale("en"):
        run = run_sync(str(path))
    assert run.rejections == [
        {
            "table": "customers.csv",
            "row": 4,
            "key": "C101",
            "reason": "The same key is on row 2 of this file already.",
        }
    ]


def test_a_negative_price_is_refused_in_chinese_in_one_piece_naming_its_column(app, tmp_path):
    order_data.customer("C201")
    order_data.product("P-100")
    path = tmp_path / "prices.csv"
    path.write_bytes("客户编码,产品型号,单价,成本\nC201,P-100,-1,2\n".encode())
    with force_locale("zh_CN"):
        run = run_sync(str(path))
    assert run.rejections[0]["reason"] == "单价: 必须大于或等于 0。"


def test_prices_for_unknown_customer_or_model_are_rejected(runner, tmp_path):
    order_data.customer("C201")
    order_data.product("P-100")
    path = tmp_path / "prices.csv"
    path.write_text("客户编码,型号,单价,成本\nC201,P-100,3,2\nC999,P-100,3,2\nC201,P-999,3,2\n", "utf-8")
    result = sync(runner, path)
    assert result.exit_code == 1
    assert "row 3 [C999 × P-100]" in result.output and "row 4 [C201 × P-999]" in result.output
    assert db.session.scalars(select(PriceListEntry)).all() == []


def _workbook_with_merged_headers(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(["ERP 客户资料导出 2026-11-25"])
    sheet.merge_cells("A1:E1")
    sheet.append(["客户编码", "客户名称", "位置", None, "近12个月采购额"])
    sheet.merge_cells("C2:D2")  # a group over 纬度 | 经度
    sheet.append([None, None, "纬度", "经度", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("E2:E3")
    sheet.append(["C301", "佛山市顺德塑料制品厂", 22.84, 113.25, 880000])
    prices = book.create_sheet("价格表")
    prices.append(["价格表"])
    prices.merge_cells("A1:D1")
    prices.append(["客户编码", "产品型号", "单价", "成本"])
    prices.append(["C301", "P-100", 4.2, 3.1])  # the customer comes from the other sheet of this file
    book.save(path)


def test_xlsx_with_merged_header_cells_creates_customers_then_their_prices(runner, tmp_path):
    order_data.product("P-100")
    path = tmp_path / "erp.xlsx"
    _workbook_with_merged_headers(path)
    result = sync(runner, path)
    assert result.exit_code == 0, result.output
    customer = customers()["C301"]
    assert (customer.lat, customer.lon, customer.purchase_12m) == (22.84, 113.25, Decimal(880000))
    entry = db.session.scalars(select(PriceListEntry)).one()
    assert (entry.customer_id, entry.unit_price) == (customer.id, Decimal("4.2"))
    again = sync(runner, path)
    assert "customers: 0 created, 0 updated, 1 unchanged" in again.output
    assert "prices: 0 created, 0 updated, 1 unchanged" in again.output


@pytest.fixture
def erp_server():
    body = json.dumps(
        {
            "customers": [{"code": "C401", "name": "惠州模具厂", "blocked": False}],
            "prices": [{"customer_code": "C401", "product_model": "P-100", "unit_price": 5, "unit_cost": 4}],
        }
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/export.json"
    server.shutdown()


def test_json_url(runner, erp_server):
    order_data.product("P-100")
    result = runner.invoke(args=["erp-sync", erp_server])
    assert result.exit_code == 0, result.output
    assert "customers: 1 created" in result.output and "prices: 1 created" in result.output


def test_unreadable_source_is_recorded_as_failed(runner, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("名称,备注\n甲,乙\n", "utf-8")
    result = sync(runner, path)
    assert result.exit_code == 1
    run = db.session.scalars(select(ErpSync)).one()
    assert run.status == "failed" and "客户编码" in run.message


def test_history_page_lists_runs_and_their_rejected_rows(runner, client, auth, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes((CUSTOMERS_CSV + "C103,,x,否,\r\n").encode("gbk"))
    sync(runner, path)
    auth.login("admin")
    page = client.get("/admin/erp-syncs/")
    assert page.status_code == 200
    assert 'data-status="refused"' in page.text
    assert "customers.csv" in page.text and "Refused: nothing applied" in page.text
    assert "1 rejected" in page.text
    run = db.session.scalars(select(ErpSync)).one()
    detail = client.get(f"/admin/erp-syncs/{run.id}")
    assert detail.status_code == 200 and "C103" in detail.text


def test_history_page_is_for_admins(client, auth):
    auth.login("sales")
    assert client.get("/admin/erp-syncs/").status_code == 403


def test_a_damaged_workbook_is_a_failed_run(runner, tmp_path):
    path = tmp_path / "erp.xlsx"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    assert sync(runner, path).exit_code == 1
    assert db.session.scalars(select(ErpSync.status)).one() == "failed"
