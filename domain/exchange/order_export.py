"""Orders out to XLSX in the plant's template, and the blank template itself. Written with openpyxl's
write_only mode and read from the database in batches, so 100,000 orders never sit in memory."""

from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from domain.exchange.order_sheet import ORDER_COLUMNS, STAGE_NAMES, WIDTHS
from domain.orders.models import FLAME_GRADES, PRIORITIES, Order
from domain.roles import PRICE_FIELDS
from extensions import db

SHEET_TITLE = "订单"
BATCH = 1000
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _columns(with_prices: bool) -> list[Any]:
    return [c for c in ORDER_COLUMNS if with_prices or c.key not in PRICE_FIELDS]


def _header(ws: Any, with_prices: bool) -> list[WriteOnlyCell]:
    cells = []
    for column in _columns(with_prices):
        cell = WriteOnlyCell(ws, column.title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


def _widths(ws: Any, with_prices: bool) -> None:
    for i, column in enumerate(_columns(with_prices), start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column.key, 12)


def visible_orders(user_id: int | None) -> Iterator[Order]:
    """Every order, or (for a salesperson, `user_id` given) the ones they created, in number order."""
    query = select(Order).options(joinedload(Order.customer), joinedload(Order.product)).order_by(Order.id)
    if user_id is not None:
        query = query.where(Order.created_by_id == user_id)
    yield from db.session.scalars(query.execution_options(yield_per=BATCH))


def _row(ws: Any, order: Order, with_prices: bool) -> list[Any]:
    due = WriteOnlyCell(ws, order.due_date)
    due.number_format = DATE_FORMAT
    prices = [order.unit_price, order.price_override_reason] if with_prices else []
    return [
        order.number,
        order.customer.code,
        order.product.model,
        order.quantity,
        *prices,
        due,
        order.priority,
        order.flame_grade,
        order.packaging,
        order.color_notes,
        order.original_ref,
        STAGE_NAMES.get(order.stage, order.stage),
    ]


def write_orders(out: IO[bytes], orders: Iterator[Order], with_prices: bool = True) -> int:
    """The orders as one sheet with the template's header; returns how many were written. Without
    prices (for the roles that do not deal in them) the 单价 and 改价原因 columns are left out."""
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(SHEET_TITLE)
    _widths(ws, with_prices)
    ws.freeze_panes = "A2"
    ws.append(_header(ws, with_prices))
    count = 0
    for order in orders:
        ws.append(_row(ws, order, with_prices))
        count += 1
    book.save(out)
    return count


def blank_template() -> bytes:
    """The header, drop-down lists for priority and flame grade, and date/number formats on the
    columns a clerk fills in."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET_TITLE
    ws.append([c.title for c in ORDER_COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, Alignment(horizontal="center")
    _widths(ws, with_prices=True)
    ws.freeze_panes = "A2"
    letters = {c.key: get_column_letter(i) for i, c in enumerate(ORDER_COLUMNS, start=1)}
    for key, choices in (("priority", PRIORITIES), ("flame_grade", FLAME_GRADES)):
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        rule.add(f"{letters[key]}2:{letters[key]}5000")
        ws.add_data_validation(rule)
    for row in range(2, 501):
        ws[f"{letters['due_date']}{row}"].number_format = DATE_FORMAT
    out = BytesIO()
    book.save(out)
    return out.getvalue()
