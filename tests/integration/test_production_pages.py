"""Production pages: the planner converts from the order page, the work order page shows the locked
BOM, operations, card and the changes to acknowledge, the leader's page carries its open cards."""

import json
import re

import pytest
from sqlalchemy import select

from domain.orders import changes
from domain.production.models import TaskCard, WorkOrder
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data
from tests.integration.production_data import Plant


@pytest.fixture
def plant(app):
    return Plant()


def test_planner_sees_the_convert_button_on_a_confirmed_order(client, auth, plant):
    order = plant.confirmed_order()
    auth.login("planner")
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-testid="convert-order"' in page


def test_sales_does_not_see_the_convert_button(client, auth, plant):
    order = plant.confirmed_order()
    auth.login("sales")
    assert 'data-testid="convert-order"' not in client.get(f"/orders/{order.id}").get_data(as_text=True)


def test_converting_from_the_page_opens_the_new_work_order(client, auth, plant):
    order = plant.confirmed_order()
    auth.login("planner")
    response = client.post(f"/orders/{order.id}/convert", data={"team_id": "0"})
    work_order = db.session.execute(select(WorkOrder)).scalar_one()
    assert response.status_code == 302 and response.location.endswith(f"/work-orders/{work_order.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert work_order.number in page and "IM-01" in page and "AS-01" in page
    assert client.get(f"/orders/{order.id}").get_data(as_text=True).count(work_order.number) == 1


def test_sales_sees_the_work_order_numbers_without_links_that_would_be_refused(client, auth, plant):
    sales = make_user("sales", ["sales"])
    order = plant.confirmed_order(created_by_id=sales.id)
    auth.login("planner")
    client.post(f"/orders/{order.id}/convert", data={"team_id": "0"})
    work_order = db.session.execute(select(WorkOrder)).scalar_one()
    auth.logout()
    auth.login("sales")
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert work_order.number in page and f"/work-orders/{work_order.id}" not in page
    assert client.get(f"/work-orders/{work_order.id}").status_code == 403


def test_a_refused_conversion_comes_back_with_the_reason(client, auth, plant):
    order = plant.confirmed_order()
    auth.login("planner")
    client.post(f"/orders/{order.id}/convert", data={"team_id": "0"})
    english = {"Accept-Language": "en"}
    again = client.post(f"/orders/{order.id}/convert", data={"team_id": "0"}, headers=english)
    assert again.status_code == 302 and again.location.endswith(f"/orders/{order.id}")
    assert "is already in production" in client.get(again.location, headers=english).get_data(as_text=True)
    assert len(db.session.execute(select(WorkOrder)).all()) == 1


def leader_state(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="leader-state">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_leader_page_carries_open_cards_and_pending_process_notices(client, auth, plant):
    order = plant.confirmed_order()
    auth.login("planner")
    client.post(f"/orders/{order.id}/convert", data={"team_id": "0"})
    notice = changes.create_process_notice("P-100", "换模温 mold temperature 85°C", "", plant.planner)
    auth.logout()
    auth.login("leader")
    state = leader_state(client.get("/leader").get_data(as_text=True))
    card = db.session.execute(select(TaskCard)).scalar_one()
    assert [c["id"] for c in state["cards"]] == [card.id]
    assert state["after"] == {str(plant.team.id): 1}
    assert [n["id"] for n in state["notices"]] == [notice.id]


def test_work_order_page_highlights_a_process_change_until_acknowledged(client, auth, plant):
    order = plant.confirmed_order()
    auth.login("planner")
    client.post(f"/orders/{order.id}/convert", data={"team_id": "0"})
    work_order = db.session.execute(select(WorkOrder)).scalar_one()
    notice = changes.create_process_notice("P-100", "换模温 mold temperature 85°C", "", plant.planner)
    auth.logout()
    auth.login("leader")
    page = client.get(f"/work-orders/{work_order.id}").get_data(as_text=True)
    assert 'data-testid="unacknowledged"' in page and "mold temperature 85" in page
    client.post(f"/changes/{notice.id}/ack")
    page = client.get(f"/work-orders/{work_order.id}").get_data(as_text=True)
    assert 'data-testid="unacknowledged"' not in page


def test_leader_menu_has_task_cards(client, auth, plant):
    auth.login("leader")
    assert 'href="/leader"' in client.get("/").get_data(as_text=True)


def recipients(notice) -> set[str]:
    return {r.user.username for r in notice.recipients}


def test_process_notice_goes_to_the_leader_holding_the_open_work_order(client, auth, plant):
    other = make_user("leader2", ["leader"])
    data.team_with_leader(other.id, "W1")  # same workshop, no work order of this model
    auth.login("planner")
    client.post(f"/orders/{plant.confirmed_order().id}/convert", data={"team_id": str(plant.team.id)})
    notice = changes.create_process_notice("P-100", "换色母 new colorant", "", make_user("admin", ["admin"]))
    assert recipients(notice) == {"leader", "planner"}


def test_spec_change_goes_to_the_work_orders_leader(client, auth, plant):
    other = make_user("leader2", ["leader"])
    data.team_with_leader(other.id, "W1")
    order = plant.confirmed_order()
    auth.login("planner")
    client.post(f"/orders/{order.id}/convert", data={"team_id": str(plant.team.id)})
    notice = changes.record_spec_change(order, {"packaging": ["carton", "pallet"]}, "", plant.planner)
    db.session.commit()
    assert "leader" in recipients(notice) and "leader2" not in recipients(notice)


def test_convert_button_also_on_an_order_moved_to_scheduling_without_work_order(client, auth, plant):
    order = data.order_in_stage(plant.customer, plant.product, "scheduling", number="SO-S-2")
    auth.login("planner")
    assert 'data-testid="convert-order"' in client.get(f"/orders/{order.id}").get_data(as_text=True)
    client.post(f"/orders/{order.id}/convert", data={"team_id": "0"})
    assert 'data-testid="convert-order"' not in client.get(f"/orders/{order.id}").get_data(as_text=True)
