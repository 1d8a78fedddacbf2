"""Routing admin pages: add steps in workshops, edit, move up/down, remove."""

import pytest

from domain.masterdata import Product, RoutingStep, Workshop
from extensions import db


@pytest.fixture
def plant(app, auth):
    auth.login("admin")
    product = Product(model="HX-200", name="外壳 200")
    molding, closed = Workshop(code="INJ", name="注塑车间"), Workshop(code="OLD", name="旧车间", active=False)
    db.session.add_all([product, molding, closed])
    db.session.commit()
    return {"product": product.id, "INJ": molding.id, "OLD": closed.id}


def add(client, plant, name, workshop="INJ"):
    form = {"name": name, "workshop_id": plant[workshop], "setup_minutes": "30", "seconds_per_unit": "12.5"}
    return client.post(f"/admin/routings/{plant['product']}/steps", data=form)


def steps(plant) -> list[str]:
    db.session.expire_all()
    rows = db.session.execute(
        db.select(RoutingStep).where(RoutingStep.product_id == plant["product"]).order_by(RoutingStep.seq)
    )
    return [s.name for s in rows.scalars()]


def test_steps_are_added_and_shown_in_order(client, plant):
    assert add(client, plant, "注塑").status_code == 302
    add(client, plant, "装配")
    page = client.get(f"/admin/routings/{plant['product']}").get_data(as_text=True)
    assert page.index('data-step="注塑"') < page.index('data-step="装配"')


def test_step_moves_down_and_up(client, plant):
    for name in "ABC":
        add(client, plant, name)
    first = db.session.execute(db.select(RoutingStep).where(RoutingStep.name == "A")).scalar_one()
    client.post(f"/admin/routings/{plant['product']}/steps/{first.id}/down")
    assert steps(plant) == ["B", "A", "C"]
    client.post(f"/admin/routings/{plant['product']}/steps/{first.id}/up")
    assert steps(plant) == ["A", "B", "C"]


def test_step_is_edited_and_removed(client, plant):
    add(client, plant, "A")
    step = db.session.execute(db.select(RoutingStep)).scalar_one()
    form = {"name": "A2", "workshop_id": plant["INJ"], "setup_minutes": "0", "seconds_per_unit": "1"}
    assert client.post(f"/admin/routings/{plant['product']}/steps/{step.id}", data=form).status_code == 302
    assert steps(plant) == ["A2"]
    client.post(f"/admin/routings/{plant['product']}/steps/{step.id}/remove")
    assert steps(plant) == []


def test_inactive_workshop_is_not_offered(client, plant):
    page = client.get(f"/admin/routings/{plant['product']}").get_data(as_text=True)
    assert "INJ · 注塑车间" in page
    assert "OLD · 旧车间" not in page


def test_bad_setup_minutes_are_shown_under_the_field(client, plant):
    form = {"name": "A", "workshop_id": plant["INJ"], "setup_minutes": "-3", "seconds_per_unit": "1"}
    response = client.post(f"/admin/routings/{plant['product']}/steps", data=form)
    assert response.status_code == 422
    assert "Enter whole minutes from 0 to" in response.get_data(as_text=True)
    assert steps(plant) == []


def test_routing_pages_are_for_admins_only(client, auth):
    auth.login("leader")
    assert client.get("/admin/routings/").status_code == 403
