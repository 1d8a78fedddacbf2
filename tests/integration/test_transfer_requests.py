"""A transfer requested from a kitting shortage or a work order (/transfers/new): the form comes prefilled
with the short SKU, the quantity short, the work order number and the warehouse that feeds it."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.stock.transfers import Transfer
from extensions import db
from tests.integration.quality_world import RESIN, add_order, add_work_order, build_plant
from tests.integration.test_kitting import put


@pytest.fixture
def plant(app):
    plant = build_plant()
    add_order(plant, "C-A", "SO-A")
    add_work_order(plant, "SO-A", "WO-A", qty=1000, starts_in_days=2)  # resin 51 kg with scrap
    put(plant.loc_a, RESIN, "5")
    put(plant.loc_a, RESIN, "-1", kind="issue", ref="WO-A")  # WH-A feeds WO-A's line
    put(plant.loc_b, RESIN, "30")  # 50 still needed, 34 available: 16 short
    return plant


def field(html: str, name: str) -> str:
    """The value a form field shows: an input's value or a select's selected option."""
    tag = re.search(rf'<(input|select) name="{name}".*?(?:>|</select>)', html, re.S).group(0)
    if tag.startswith("<input"):
        return re.search(r'value="([^"]*)"', tag).group(1)
    chosen = re.search(rf'name="{name}".*?<option value="([^"]*)" selected', html, re.S)
    return chosen.group(1) if chosen else ""


def test_a_kitting_shortage_opens_the_request_prefilled(client, auth, plant):
    auth.login("planner")
    work_order = plant.work_orders["WO-A"]
    kitting_page = client.get(f"/quality/kitting/{work_order}").get_data(as_text=True)
    link = re.search(rf'href="([^"]+)" data-testid="request-transfer-{RESIN}"', kitting_page).group(1)
    html = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    values = {
        name: field(html, name) for name in ("order_ref", "sku", "qty", "from_warehouse", "to_warehouse")
    }
    assert values == {
        "order_ref": "WO-A",
        "sku": RESIN,
        "qty": "16",
        "from_warehouse": "WH-B",
        "to_warehouse": "WH-A",
    }


def test_the_work_order_page_offers_a_transfer_of_what_it_lacks(client, auth, plant):
    auth.login("warehouse")
    work_order = plant.work_orders["WO-A"]
    page = client.get(f"/work-orders/{work_order}").get_data(as_text=True)
    assert f'href="/transfers/new?wo={work_order}" data-testid="request-transfer"' in page
    html = client.get(f"/transfers/new?wo={work_order}").get_data(as_text=True)
    assert (field(html, "order_ref"), field(html, "to_warehouse")) == ("WO-A", "WH-A")
    assert (field(html, "sku"), field(html, "qty")) == (RESIN, "16")  # the SKU most short, over the colour


def test_the_prefilled_request_is_made_with_the_work_order_as_its_reference(client, auth, plant):
    auth.login("planner")
    body = {"order_ref": "WO-A", "sku": RESIN, "qty": "16", "from_warehouse": "WH-B", "to_warehouse": "WH-A"}
    answer = client.post("/transfers/new", data=body)
    assert answer.status_code == 302
    transfer = db.session.execute(db.select(Transfer)).scalar_one()
    assert (transfer.order_ref, transfer.order_kind, transfer.qty) == ("WO-A", "work_order", Decimal(16))


def test_a_refused_request_shows_why_and_keeps_what_was_typed(client, auth, plant):
    auth.login("planner")
    body = {"order_ref": "WO-A", "sku": RESIN, "qty": "500", "from_warehouse": "WH-B", "to_warehouse": "WH-A"}
    answer = client.post("/transfers/new", data=body)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'data-testid="transfer-error"' in html and field(html, "qty") == "500"


@pytest.mark.parametrize("typed", ["1,000", "abc", "0"])
def test_a_quantity_that_is_none_is_refused_on_the_form_as_the_api_refuses_it(client, auth, plant, typed):
    """ "1,000" is not read as 1: the form hands the text to the same rule as the API."""
    auth.login("planner")
    body = {"order_ref": "WO-A", "sku": RESIN, "qty": typed, "from_warehouse": "WH-B", "to_warehouse": "WH-A"}
    answer = client.post("/transfers/new", data=body)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'data-testid="transfer-error"' in html and field(html, "qty") == typed
    assert db.session.scalar(select(func.count(Transfer.id))) == 0
