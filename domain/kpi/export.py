"""The KPI page as an Excel workbook (openpyxl): OHDI per month with each term and the facts behind
it, the missing-information rate, and the repair hot spots. Headers come translated from the caller."""

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

PERCENT = "0.0%"
SCORE = "0.000"


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[Any]], formats: dict[int, str]):
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column, fmt in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = fmt
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) + 4)
    sheet.freeze_panes = "A2"
    return sheet


def workbook(
    ohdi: dict[str, Any],
    missing: dict[str, Any],
    hot_spots: dict[str, Any],
    text: dict[str, Any],
) -> bytes:
    """`text` holds the translated sheet titles and column headers (see blueprints/dashboard_kpi.py)."""
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        text["ohdi_sheet"],
        text["ohdi_headers"],
        [
            [
                m["month"],
                m["ohdi"],
                m["terms"]["on_time"],
                m["terms"]["first_pass_yield"],
                m["mean_change_response_hours"],
                m["terms"]["change_response"],
                m["mean_rating"],
                m["terms"]["rating"],
                m["facts"]["shipped"],
                m["facts"]["shipped_on_time"],
                m["facts"]["inspected"],
                m["facts"]["passed_first_time"],
                m["facts"]["changes_completed"],
                m["facts"]["ratings"],
            ]
            for m in ohdi["months"]
        ],
        {2: SCORE, 3: PERCENT, 4: PERCENT, 5: "0.0", 6: SCORE, 7: "0.00", 8: SCORE},
    )
    _sheet(
        book,
        text["missing_sheet"],
        text["missing_headers"],
        [[m["month"], m["submissions"], m["with_missing"], m["rate"]] for m in missing["months"]],
        {4: PERCENT},
    )
    _sheet(
        book,
        text["hot_spot_sheet"],
        [text["model"], text["repairs"], *hot_spots.get("age_bands", [])],
        [[m["model"], m["repairs"], *m["by_age"]] for m in hot_spots.get("models", [])],
        {},
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
