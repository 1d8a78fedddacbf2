"""/s/<kind>/<id>: what a plain phone camera opens from a label of this app."""

from decimal import Decimal
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from domain.audit import AuditLog
from domain.masterdata import Sku
from domain.stock import balances
from domain.transactions import write_transaction
from extensions import db
from scanning.labels import label_url
from tests.integration.quality_world import add_order, add_work_order, build_plant
from tests.integration.stock_world import ORDER, SKU, build_world, label, put_stock
from tests.integration.test_scan_decode_api import BASE

pytestmark = pytest.mark.config(PUBLIC_BASE_URL=BASE)


def path_of(url: str) -> str:
    return url[len(BASE) :]


@pytest.fixture(autouse=True)
def english(client):
    """The texts asserted below are the English msgids, whatever catalogue is compiled."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(app):
    return build_world(stock_a="40")


def test_warehouse_worker_lands_on_the_scanner_at_the_location(client, auth, world):
    auth.login("warehouse")
    response = client.get(path_of(label(world.loc_a, BASE)))
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/scan"
    assert parse_qs(target.query)["loc"] == [label(world.loc_a, BASE)]


def test_planner_sees_the_stock_on_the_location(client, auth, world):
    auth.login("planner")
    page = client.get(path_of(label(world.loc_a, BASE)))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "A-01" in html and SKU in html and 'data-testid="stock-qty">40 kg<' in html


def test_forged_location_label_is_refused_with_a_readable_page(client, auth, world):
    auth.login("warehouse")
    page = client.get(f"/s/loc/{world.loc_a}.AAAAAAAAAAA")
    assert page.status_code == 422
    assert "not a location label of this system" in page.get_data(as_text=True)
    assert "/scan" not in page.headers.get("Location", "")
    refusal = db.session.execute(db.select(AuditLog).where(AuditLog.action == "label_refused")).scalar_one()
    assert refusal.changes == {"path": f"/s/loc/{world.loc_a}.AAAAAAAAAAA"}


def test_signed_out_phone_signs_in_and_comes_back_to_the_label(client, auth, world):
    path = path_of(label_url(BASE, "sku", SKU))
    response = client.get(path)
    assert response.status_code == 302
    assert unquote(parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]) == path
    auth.login("planner")
    assert client.get(path).status_code == 200


def test_sku_label_shows_where_its_stock_lies(client, auth, world):
    auth.login("warehouse")
    html = client.get(path_of(label_url(BASE, "sku", SKU))).get_data(as_text=True)
    assert "WH-A · A-01" in html and "40 kg in all" in html


def test_lot_label_with_a_slash_in_the_sku_shows_that_lot_only(client, auth, world):
    db.session.add(Sku(code="RM/PP-01", name="PP 粒料", unit="kg"))
    db.session.commit()
    put_stock(world.loc_a, "7", "RM/PP-01")  # no lot: not on the lot's page
    with write_transaction():
        sku_id = db.session.execute(db.select(Sku.id).where(Sku.code == "RM/PP-01")).scalar_one()
        balances.post("receipt", sku_id, "L7", world.loc_a, Decimal(3))
    auth.login("warehouse")
    for path in (path_of(label_url(BASE, "lot", "RM/PP-01", "L7")), "/s/lot/RM/PP-01/L7"):
        html = client.get(path).get_data(as_text=True)
        assert "L7" in html and "3 kg in all" in html, path


def test_unknown_sku_is_a_404_page_that_says_so(client, auth, world):
    auth.login("warehouse")
    page = client.get("/s/sku/NOPE-1")
    assert page.status_code == 404
    assert "There is no SKU NOPE-1" in page.get_data(as_text=True)


def test_sales_role_sees_no_stock_quantities(client, auth, world):
    auth.login("sales")
    html = client.get(path_of(label_url(BASE, "sku", SKU))).get_data(as_text=True)
    assert 'data-testid="stock-hidden"' in html and 'data-testid="stock-qty"' not in html


def test_order_number_on_a_work_order_label_opens_the_order(client, auth, world):
    auth.login("sales")
    response = client.get(f"/s/wo/{ORDER}")
    assert response.status_code == 302
    assert "/orders/" in response.headers["Location"]


def test_unknown_work_order_says_so_and_offers_the_order_search(client, auth, world):
    auth.login("planner")
    page = client.get("/s/wo/WO-20990101-0001")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "There is no work order or sales order WO-20990101-0001" in html
    assert 'data-testid="search-orders"' in html


@pytest.fixture
def work_order_id(app) -> int:
    plant = build_plant(("C-A",))
    add_order(plant, "C-A", "SO-20260112-0001")
    return add_work_order(plant, "SO-20260112-0001", "WO-20260112-0003")


def test_work_order_label_opens_the_work_order_for_the_team_leader(client, auth, work_order_id):
    auth.login("leader")
    response = client.get(path_of(label_url(BASE, "wo", "WO-20260112-0003")))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/work-orders/{work_order_id}")
    assert client.get(response.headers["Location"]).status_code == 200


def test_work_order_label_tells_sales_what_it_is_without_opening_production(client, auth, work_order_id):
    auth.login("sales")
    page = client.get("/s/wo/WO-20260112-0003")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Work order WO-20260112-0003" in html and "HX-300" in html and "does not open work orders" in html
