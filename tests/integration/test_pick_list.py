"""A sales order's pick list page (/orders/<id>/pick-list): ordered, inspected, shipped and still to ship,
the shelves holding the item, and the order's label for the scanner's Ship mode."""

import pytest

from domain.orders.models import Order
from extensions import db
from scanning.labels import label_url
from tests.conftest import make_user
from tests.integration.stock_world import ORDER, add_finished_stock, add_work_order, build_world
from tests.integration.test_shipments_scanned import ship


@pytest.fixture
def order_id(app):
    built = build_world()
    add_finished_stock(built.loc_a, "700")
    add_work_order("WO-20200102-0100", good_qty="400", final_passed_by=make_user("qc-pl", ["qc"]).id)
    return built, db.session.execute(db.select(Order.id).where(Order.number == ORDER)).scalar_one()


def test_the_pick_list_shows_what_is_left_to_ship_and_where(client, auth, order_id):
    world, order = order_id
    assert ship(client, auth.headers("warehouse", "shipper"), world, "250").status_code == 201
    auth.login("warehouse")
    html = client.get(f"/orders/{order}/pick-list").get_data(as_text=True)
    assert f'data-payload="{label_url("http://localhost", "wo", ORDER)}"' in html
    assert "东莞精密塑胶" in html
    cells = {
        name: html.split(f'data-testid="pick-{name}">', 1)[1].split("<", 1)[0]
        for name in ("ordered", "inspected", "shipped")
    }
    assert [cells[n].split()[0] for n in ("ordered", "inspected", "shipped")] == ["1,000", "400", "250"]
    assert 'data-testid="pick-to-ship"><b>750' in html
    assert "WH-A A-01: 450" in html


def test_quality_control_has_no_pick_list(client, auth, order_id):
    _world, order = order_id
    auth.login("qc")
    assert client.get(f"/orders/{order}/pick-list").status_code == 403
