"""XLSX order sheets made in the tests the way the plant's clerks make them."""

from datetime import timedelta
from pathlib import Path

import openpyxl

from domain.exchange.order_sheet import ORDER_COLUMNS
from domain.orders.service import plant_today

HEADERS = [c.title for c in ORDER_COLUMNS if c.key != "stage"]


def due(days: int = 30):
    return plant_today() + timedelta(days=days)


def row(ref: str, *, number=None, customer="C001", model="P-100", qty=1000, price=None, days=30, **extra):
    values = {
        "订单号": number,
        "客户": customer,
        "产品型号": model,
        "数量": qty,
        "单价": price,
        "交期": due(days) if isinstance(days, int) else days,
        "优先级": "B",
        "阻燃等级": "V-0",
        "包装方式": "纸箱",
        "原始订单号": ref,
    }
    values.update(extra)
    return [values.get(h) for h in HEADERS]


def write_sheet(path: Path, rows, headers=HEADERS, title_row: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title_row:
        sheet.append([title_row])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path
