"""The stock ledger read by an integration (GET /api/v1/stock/moves): every move once, in commit order,
across pages and across visits, on SQLite and PostgreSQL; plus the ledger export for a date range."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from domain import keyset
from domain.masterdata import Sku
from domain.stock import balances
from domain.stock.ledger import StockMove
from domain.transactions import write_transaction
from extensions import db
from tests.integration.stock_world import build_world

MOVES = "/api/v1/stock/moves"


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def reader(auth):
    return auth.headers("planner")


def post_moves(world, count: int, per_transaction: int = 10) -> list[int]:
    """`count` receipts into A-01, `per_transaction` to a transaction; their ids in order."""
    sku_id = db.session.execute(select(Sku.id).where(Sku.code == world.sku)).scalar_one()
    for start in range(0, count, per_transaction):
        with write_transaction():
            for _ in range(min(per_transaction, count - start)):
                balances.post("receipt", sku_id, "", world.loc_a, Decimal(1))
    return list(db.session.execute(select(StockMove.id).order_by(StockMove.id)).scalars())


def read_all(client, headers, **query) -> tuple[list[int], list[dict]]:
    """Follow next_cursor to the end; the ids in the order served, and every page's body."""
    ids, pages, cursor = [], [], None
    while True:
        body = client.get(
            MOVES, query_string={**query, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert body.status_code == 200, body.json
        pages.append(body.json)
        ids += [m["id"] for m in body.json["items"]]
        cursor = body.json["next_cursor"]
        if cursor is None:
            return ids, pages


def test_whole_ledger_is_read_a_page_at_a_time_each_move_once(client, reader, world):
    made = post_moves(world, 250)
    ids, pages = read_all(client, reader, limit=40)
    assert ids == made
    assert len(pages) == 7
    assert {page["total"] for page in pages} == {250}
    first = pages[0]["items"][0]
    assert (first["kind"], first["sku"], first["warehouse"], first["location"], first["qty"]) == (
        "receipt",
        world.sku,
        "WH-A",
        "A-01",
        "1.000",
    )


def test_resume_cursor_brings_only_the_moves_made_since(client, reader, world):
    before = post_moves(world, 30)
    ids, pages = read_all(client, reader, limit=100)
    assert ids == before
    resume = pages[-1]["resume_cursor"]
    assert pages[-1]["next_cursor"] is None and resume

    after = post_moves(world, 12)[len(before) :]
    ids, pages = read_all(client, reader, limit=5, cursor=resume)
    assert ids == after
    nothing_new = client.get(MOVES, query_string={"cursor": pages[-1]["resume_cursor"]}, headers=reader).json
    assert nothing_new["items"] == [] and nothing_new["resume_cursor"] == pages[-1]["resume_cursor"]


def test_a_move_committed_after_a_later_one_is_not_skipped(app, client, reader, world):
    """Ids come in insert order, commits in another: the page must hold back the later move until the
    earlier one has committed, or a reader past the later id would never see the earlier."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: id order is commit order there")
    served = post_moves(world, 3)
    sku_id = db.session.execute(select(Sku.id).where(Sku.code == world.sku)).scalar_one()
    row = {"kind": "receipt", "sku_id": sku_id, "lot": "", "location_id": world.loc_a}
    slow = db.engine.connect()
    slow_transaction = slow.begin()
    early = slow.execute(insert(StockMove).values(**row, qty=1, on_hand_after=1).returning(StockMove.id))
    early_id = early.scalar_one()
    late_id = post_moves(world, 1)[-1]
    assert late_id > early_id

    ids, pages = read_all(client, reader)
    assert ids == served  # the later move waits while the earlier one's transaction runs
    slow_transaction.commit()
    slow.close()
    resumed, _ = read_all(client, reader, cursor=pages[-1]["resume_cursor"])
    assert resumed == [early_id, late_id]


def test_newest_first_pages_back_through_the_ledger(client, reader, world):
    made = post_moves(world, 25)
    ids, _ = read_all(client, reader, order="newest", limit=10)
    assert ids == made[::-1]


def test_since_and_filters_narrow_the_ledger(client, reader, world):
    made = post_moves(world, 5)
    later = datetime.now(UTC) + timedelta(hours=1)
    assert read_all(client, reader, since=later.isoformat())[0] == []
    assert read_all(client, reader, since="2020-01-01T00:00:00+08:00")[0] == made
    assert read_all(client, reader, warehouse="WH-B")[0] == []


def test_a_cursor_that_is_not_this_lists_is_refused_by_name(client, reader, world):
    post_moves(world, 3)
    transfers_cursor = client.get("/api/v1/stock", query_string={"limit": 1}, headers=reader).json
    wrong_types = keyset.encode("stock_moves:oldest", ("x", 1))
    newest = keyset.encode("stock_moves:newest", (0, 1))
    for cursor in (
        "not-a-cursor",
        "eyJ4Ijox",
        transfers_cursor.get("next_cursor") or newest,
        wrong_types,
        newest,
    ):
        response = client.get(MOVES, query_string={"cursor": cursor}, headers=reader)
        assert response.status_code == 422
        assert response.json["error"]["code"] == "invalid_cursor"
        assert "cursor" in response.json["error"]["fields"]


def test_other_lists_page_with_the_same_envelope(client, reader, world):
    post_moves(world, 3)
    balances_page = client.get("/api/v1/stock", headers=reader).json
    assert set(balances_page) == {"items", "total", "next_cursor"}
    assert balances_page["items"] == [
        {"sku": world.sku, "lot": "", "location": "A-01", "warehouse": "WH-A", "qty": "3.000"}
    ]


def test_ledger_exports_a_warehouses_days_as_xlsx_in_plant_time(client, reader, world, auth):
    post_moves(world, 3)
    today = datetime.now(UTC).astimezone().date()
    query = {
        "date_from": (today - timedelta(days=1)).isoformat(),
        "date_to": (today + timedelta(days=1)).isoformat(),
    }
    response = client.get(f"{MOVES}/export.xlsx", query_string={**query, "warehouse": "WH-A"}, headers=reader)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Move", "Time", "Kind", "SKU")
    assert [r[2] for r in rows[1:]] == ["receipt"] * 3
    stored = db.session.execute(select(StockMove.at).order_by(StockMove.id)).scalars().first()
    assert rows[1][1] == stored.replace(microsecond=0) + timedelta(hours=8)  # Asia/Shanghai, the default
    assert rows[1][-1] is None  # posted by the test, not by a user

    other = client.get(f"{MOVES}/export.xlsx", query_string={**query, "warehouse": "WH-B"}, headers=reader)
    assert len(list(load_workbook(BytesIO(other.data)).active.iter_rows())) == 1  # headers only


def test_ledger_exports_as_csv_that_excel_reads_with_chinese_headers(client, reader, world):
    post_moves(world, 2)
    today = datetime.now(UTC).date().isoformat()
    response = client.get(
        f"{MOVES}/export.csv",
        query_string={"date_from": "2020-01-01", "date_to": "2099-12-31"},
        headers={**reader, "Accept-Language": "zh-CN"},
    )
    assert response.status_code == 200, response.json
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("流水号,时间,类型")
    assert len(lines) == 3 and all(",receipt," in line for line in lines[1:])
    assert today[:4] in lines[1]


def test_ledger_export_refuses_a_range_that_ends_before_it_starts(client, reader, world):
    response = client.get(
        f"{MOVES}/export.csv",
        query_string={"date_from": "2026-12-06", "date_to": "2026-12-01"},
        headers=reader,
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_date_range"
    assert set(response.json["error"]["fields"]) == {"date_to"}
