"""Pure parts of the data exchange: CSV text encodings of Chinese Excel, header finding (merged and
two-level headers), cell values as people read them."""

import codecs
from datetime import date, datetime

import pytest

from domain.exchange.encoding import UndecodableText, decode_text, detect_encoding
from domain.exchange.sheets import (
    Column,
    MissingColumns,
    Table,
    cell_date,
    cell_text,
    csv_table,
    find_header,
    mapped_rows,
)

COLUMNS = (
    Column("number", ("订单号",)),
    Column("customer_code", ("客户", "客户编码"), required=True),
    Column("quantity", ("数量",), required=True),
)
TEXT = "客户编码,客户名称\nC001,东莞市长安精密塑胶有限公司\n"


def test_gbk_csv_is_read_as_gb18030():
    text, name = decode_text(TEXT.encode("gbk"))
    assert (text, name) == (TEXT, "gb18030")


def test_utf8_bom_is_removed():
    text, name = decode_text(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert (text, name) == (TEXT, "utf-8-sig")


def test_plain_utf8_is_not_mistaken_for_gbk():
    assert detect_encoding(TEXT.encode("utf-8")) == "utf-8"


def test_gb18030_only_characters_decode():
    rare = "𠀀䶮"  # outside GBK, inside GB18030
    assert decode_text(rare.encode("gb18030"))[0] == rare


def test_utf16_with_bom_decodes():
    assert decode_text(TEXT.encode("utf-16"))[0] == TEXT


def test_bytes_that_are_no_text_are_refused():
    with pytest.raises(UndecodableText):
        detect_encoding(b"\x81\xff\xff")


def test_csv_delimiter_semicolon_is_sniffed():
    table, _ = csv_table("客户编码;数量\nC001;5\n".encode("gbk"))
    _header, rows = mapped_rows(table, COLUMNS)
    assert [r.cells for r in rows] == [{"customer_code": "C001", "quantity": "5"}]


def test_header_below_a_merged_title_row():
    rows = [("2026年11月订单明细", None, None), ("订单号", "客户", "数量"), ("SO-1", "C001", 5)]
    header = find_header(rows, COLUMNS)
    assert header.row_number == 2
    assert header.keys == {0: "number", 1: "customer_code", 2: "quantity"}


def test_two_level_header_with_a_merged_group_and_cells_merged_down():
    rows = [
        (
            "订单号",
            "客户",
            None,
            "数量",
        ),  # 订单号 and 数量 merged down over two rows; 客户 across two columns
        (None, "编码", "名称", None),
        ("SO-1", "C001", "某公司", 5),
    ]
    header = find_header(rows, COLUMNS)
    assert header.row_number == 2
    assert header.keys == {0: "number", 1: "customer_code", 3: "quantity"}


def test_labels_match_loosely():
    header = find_header([("订单号 ", "客户编码*", "数量（件）")], COLUMNS)
    assert set(header.keys.values()) == {"number", "customer_code", "quantity"}


def test_missing_required_column_is_named():
    with pytest.raises(MissingColumns) as error:
        find_header([("订单号", "客户")], COLUMNS)
    assert [c.title for c in error.value.missing] == ["数量"]


def test_rows_are_numbered_as_the_sheet_shows_them_and_blank_rows_skipped():
    raw = [("标题", None), ("客户", "数量"), ("C001", 1), (None, None), ("C002", 2)]
    _header, rows = mapped_rows(Table("t", raw), COLUMNS)
    assert [(r.number, r.cells["customer_code"]) for r in rows] == [(3, "C001"), (5, "C002")]


@pytest.mark.parametrize(
    ("value", "text"),
    [(1001.0, "1001"), (12.5, "12.5"), (0.1, "0.1"), (None, ""), (" C001 ", "C001"), (7, "7")],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    "value",
    [datetime(2026, 12, 1), date(2026, 12, 1), "2026-12-01", "2026/12/1", "2026.12.01", "2026年12月1日"],
)
def test_cell_date(value):
    assert cell_date(value) == "2026-12-01"
