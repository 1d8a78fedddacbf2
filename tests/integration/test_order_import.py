"""Orders from the plant's XLSX sheet (DESIGN §10) with real files: checked like the API, nothing of a
bad file applied, each bad cell reported, the same file twice changes nothing, merged headers read."""

from decimal import Decimal

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from domain.audit import AuditLog
from domain.exchange.order_export import visible_orders, write_orders
from domain.exchange.order_import import import_orders
from domain.orders.models import Order, OrderStageEvent
from domain.orders.service import plant_today
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data
from tests.integration.order_sheets import HEADERS, due, row, write_sheet


@pytest.fixture
def plant(app):
    cust = order_data.customer("C001")
    prod = order_data.product("P-100")
    order_data.price(cust, prod, unit_price="10")
    return {"customer": cust, "product": prod, "sales": make_user("sales", ["sales"])}


def run(path, user, locale="en"):
    with force_locale(locale):
        return import_orders(path, user, plant_today(), locale, source=path.name)


def count(model) -> int:
    return db.session.execute(select(func.count(model.id))).scalar_one()


def test_new_rows_become_quotes_with_the_list_price(plant, tmp_path):
    path = write_sheet(
        tmp_path / "orders.xlsx", [row("PO-1"), row("PO-2", qty=500), row("PO-3", price=12, 改价原因="大单")]
    )
    result = run(path, plant["sales"])
    assert (result.applied, result.created, result.error_count) == (True, 3, 0)
    orders = db.session.scalars(select(Order).order_by(Order.id)).all()
    assert [o.original_ref for o in orders] == ["PO-1", "PO-2", "PO-3"]
    assert [o.unit_price for o in orders] == [Decimal(10), Decimal(10), Decimal(12)]
    assert {o.stage for o in orders} == {"quote"} and {o.created_by_id for o in orders} == {plant["sales"].id}
    assert len({o.number for o in orders}) == 3
    assert count(OrderStageEvent) == 3
    assert db.session.scalars(select(AuditLog.action)).all() == ["order_create"] * 3


def test_the_same_file_twice_changes_nothing(plant, tmp_path):
    path = write_sheet(tmp_path / "orders.xlsx", [row("PO-1"), row("PO-2")])
    run(path, plant["sales"])
    before = (count(Order), count(AuditLog), count(OrderStageEvent))
    again = run(path, plant["sales"])
    assert (again.applied, again.created, again.updated, again.unchanged) == (True, 0, 0, 2)
    assert (count(Order), count(AuditLog), count(OrderStageEvent)) == before


def test_three_bad_rows_apply_nothing_and_each_is_reported_with_row_and_column(plant, tmp_path):
    rows = [
        row("PO-1"),
        row("PO-2", customer="C999"),  # sheet row 3: unknown customer
        row("PO-3", qty=0),  # row 4: the compliance rule on quantity
        row("PO-4"),
        row("PO-5", days=-3),  # row 6: due date in the past
    ]
    path = write_sheet(tmp_path / "orders.xlsx", rows)
    result = run(path, plant["sales"])
    assert not result.applied
    assert count(Order) == 0 and count(AuditLog) == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "客户"), (4, "数量"), (6, "交期")]
    assert result.errors[0].message == "There is no customer with code C999."
    assert result.errors[1].message == "The quantity must be more than 0."
    assert result.errors[2].message == "The due date must not be in the past."


def test_messages_follow_the_uploaders_language(plant, tmp_path, app):
    path = write_sheet(tmp_path / "orders.xlsx", [row("PO-1", qty=0)])
    result = run(path, plant["sales"], locale="zh_CN")
    assert result.errors[0].message == "数量必须大于0。"


def test_schema_errors_name_the_cell(plant, tmp_path):
    rows = [row("PO-1", 数量="很多"), row("PO-2", days="下周"), row("PO-3", 阻燃等级="V-9")]
    result = run(write_sheet(tmp_path / "o.xlsx", rows), plant["sales"])
    assert [(e.row, e.column) for e in result.errors] == [(2, "数量"), (3, "交期"), (4, "阻燃等级")]


def test_a_new_row_without_original_reference_is_refused(plant, tmp_path):
    result = run(write_sheet(tmp_path / "o.xlsx", [row(None)]), plant["sales"])
    assert [(e.row, e.column) for e in result.errors] == [(2, "原始订单号")]


def test_the_same_order_twice_in_one_file_is_refused(plant, tmp_path):
    result = run(write_sheet(tmp_path / "o.xlsx", [row("PO-1"), row("PO-1", qty=5)]), plant["sales"])
    assert [(e.row, e.column) for e in result.errors] == [(3, "订单号")]
    assert "row 2" in result.errors[0].message


def test_merged_header_cells_are_read(plant, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["长安精密塑胶 订单明细表"])
    sheet.merge_cells("A1:H1")
    sheet.append(["订单号", "客户", None, "产品型号", "数量", "交期", "交货要求", None])
    sheet.merge_cells("B2:C2")  # 客户 over 编码 | 名称
    sheet.merge_cells("G2:H2")  # 交货要求 over 包装方式 | 阻燃等级
    for column in "ADEF":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.append([None, "编码", "名称", None, None, None, "包装方式", "阻燃等级"])
    sheet.append([None, "C001", "客户 C001", "P-100", 800, due(20), "纸箱", "V-0"])
    sheet.cell(4, 9, "PO-77")  # the reference in a column the header below names
    sheet.cell(2, 9, "原始订单号")
    sheet.merge_cells("I2:I3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = run(path, plant["sales"])
    assert result.error_count == 0, result.errors
    order = db.session.scalars(select(Order)).one()
    assert (order.customer_id, order.quantity, order.packaging, order.flame_grade, order.original_ref) == (
        plant["customer"].id,
        Decimal(800),
        "纸箱",
        "V-0",
        "PO-77",
    )


def test_export_then_import_changes_nothing_even_for_confirmed_and_past_orders(plant, tmp_path):
    order_data.order_in_stage(plant["customer"], plant["product"], "confirmed", number="SO-1", due_in=-10)
    order_data.order_in_stage(plant["customer"], plant["product"], "quote", number="SO-2")
    path = tmp_path / "export.xlsx"
    with path.open("wb") as out:
        assert write_orders(out, visible_orders(None)) == 2
    admin = make_user("admin", ["admin"])
    result = run(path, admin)
    assert (result.applied, result.unchanged, result.error_count) == (True, 2, 0)


def test_a_changed_quote_is_updated_but_a_changed_confirmed_order_is_refused(plant, tmp_path):
    sales = plant["sales"]
    quote = order_data.order_in_stage(
        plant["customer"], plant["product"], "quote", number="SO-1", created_by_id=sales.id
    )
    order_data.order_in_stage(
        plant["customer"], plant["product"], "confirmed", number="SO-2", created_by_id=sales.id
    )
    ok = write_sheet(tmp_path / "a.xlsx", [row(None, number="SO-1", qty=1500, 包装方式="carton")])
    assert run(ok, sales).updated == 1
    db.session.refresh(quote)
    assert quote.quantity == Decimal(1500)
    edit = db.session.scalars(select(AuditLog).where(AuditLog.action == "order_edit")).one()
    assert edit.changes["quantity"] == ["1000.000", "1500.000"]
    bad = write_sheet(tmp_path / "b.xlsx", [row(None, number="SO-2", qty=1, price=10, 包装方式="carton")])
    result = run(bad, sales)
    assert [(e.row, e.column) for e in result.errors] == [(2, "数量")]


def test_a_salesperson_cannot_change_another_salespersons_quote(plant, tmp_path):
    other = make_user("sales2", ["sales"])
    order_data.order_in_stage(
        plant["customer"], plant["product"], "quote", number="SO-1", created_by_id=other.id
    )
    path = write_sheet(tmp_path / "a.xlsx", [row(None, number="SO-1", qty=5, 包装方式="carton")])
    result = run(path, plant["sales"])
    assert [(e.row, e.column) for e in result.errors] == [(2, "订单号")]


def test_a_sheet_without_the_order_columns_is_refused(plant, tmp_path):
    path = write_sheet(tmp_path / "a.xlsx", [["x"]], headers=["名称"])
    from domain.errors import DomainError

    with pytest.raises(DomainError) as error:
        run(path, plant["sales"])
    assert "客户" in error.value.message


def test_headers_cover_the_template():
    assert HEADERS[:4] == ["订单号", "客户", "产品型号", "数量"]
