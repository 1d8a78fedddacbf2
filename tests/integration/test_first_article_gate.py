"""The first article gates mass production (DESIGN §7) through the API: beyond the product's sample no
good output is reported until a first-article inspection of the work order has passed."""

import uuid

import pytest
from sqlalchemy import select

from domain.masterdata import Product
from domain.production.models import TaskCard
from domain.quality import first_article_gate, inspection_service
from extensions import db
from tests.conftest import make_user
from tests.integration.production_data import Plant


@pytest.fixture
def plant(app):
    return Plant()


def keyed(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Idempotency-Key": uuid.uuid4().hex}


def started_card(client, auth, plant) -> TaskCard:
    order = plant.confirmed_order(quantity=100)
    client.post(f"/api/v1/orders/{order.id}/convert", json={}, headers=keyed(auth.headers("planner")))
    card = db.session.execute(select(TaskCard)).scalar_one()
    act(client, auth, card.id, "start")
    return card


def act(client, auth, card_id: int, action: str, **body):
    return client.post(
        f"/api/v1/task-cards/{card_id}/{action}", json=body, headers=keyed(auth.headers("leader"))
    )


def inspect(work_order_id: int, product_id: int, ok: bool) -> None:
    qc = make_user("qc", ["qc"])
    if not inspection_service.checklist_items(product_id, "first_article"):
        inspection_service.save_checklist(product_id, [{"name": "外观", "method": "check"}], qc)
    item = inspection_service.checklist_items(product_id, "first_article")[0]
    inspection_service.record_inspection(work_order_id, "first_article", {f"item_{item.id}": ok}, qc)


def test_reporting_beyond_the_sample_is_refused_with_the_reason(client, auth, plant):
    card = started_card(client, auth, plant)
    assert act(client, auth, card.id, "report", good="4").status_code == 200
    refused = act(client, auth, card.id, "report", good="2")
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "first_article_required"
    assert "5" in error["message"] and "1" in error["message"] and error["fields"]["good"]
    assert error["first_article"]["may_report"] == "1"
    # scrap is not output that needs the first article
    assert act(client, auth, card.id, "report", scrap="3").status_code == 200


def test_the_refusal_speaks_the_users_language(client, auth, plant):
    card = started_card(client, auth, plant)
    headers = {**keyed(auth.headers("leader")), "Accept-Language": "zh-CN"}
    refused = client.post(f"/api/v1/task-cards/{card.id}/report", json={"good": "6"}, headers=headers)
    assert refused.status_code == 409 and "首件" in refused.json["error"]["message"]


def test_the_card_says_it_waits_for_the_first_article(client, auth, plant):
    card = started_card(client, auth, plant)
    block = act(client, auth, card.id, "report", good="5").json["first_article"]
    expected = {"required": True, "sample_qty": "5", "status": "waiting", "may_report": "0", "blocked": True}
    assert block == expected
    assert first_article_gate.waiting_for_first_article(card.work_order_id)


def test_after_the_inspection_passes_the_report_is_accepted(client, auth, plant):
    card = started_card(client, auth, plant)
    act(client, auth, card.id, "report", good="5")
    inspect(card.work_order_id, plant.product.id, ok=False)
    failed = act(client, auth, card.id, "report", good="10")
    assert failed.status_code == 409 and failed.json["error"]["first_article"]["status"] == "failed"
    inspect(card.work_order_id, plant.product.id, ok=True)
    accepted = act(client, auth, card.id, "report", good="90")
    assert accepted.status_code == 200
    assert accepted.json["work_order"]["good_qty"] == "95"
    block = accepted.json["first_article"]
    assert block["status"] == "passed" and not block["blocked"]
    assert not first_article_gate.waiting_for_first_article(card.work_order_id)


def test_a_product_without_first_article_is_never_gated(client, auth, plant):
    db.session.get(Product, plant.product.id).needs_first_article = False
    db.session.commit()
    card = started_card(client, auth, plant)
    reported = act(client, auth, card.id, "report", good="100")
    assert reported.status_code == 200 and reported.json["first_article"]["required"] is False
    assert not first_article_gate.waiting_for_first_article(card.work_order_id)


def test_the_sample_quantity_is_the_products(client, auth, plant):
    db.session.get(Product, plant.product.id).first_article_qty = 2
    db.session.commit()
    card = started_card(client, auth, plant)
    assert act(client, auth, card.id, "report", good="3").status_code == 409
    assert act(client, auth, card.id, "report", good="2").status_code == 200


def test_qc_is_asked_live_the_moment_the_sample_is_made_and_the_card_follows_the_inspection(
    app, client, auth, plant
):
    from flask import g

    from extensions import socketio
    from tests.conftest import FreshUserClient

    card = started_card(client, auth, plant)
    make_user("qc", ["qc"])
    app.test_client_class = FreshUserClient
    qc_phone = app.test_client()
    qc_phone.post("/login", data={"username": "qc", "password": "demo"})
    g.pop("_login_user", None)
    qc_socket = socketio.test_client(app, flask_test_client=qc_phone)
    act(client, auth, card.id, "report", good="3")
    assert [e for e in qc_socket.get_received() if e["name"] == "first_article_request"] == []
    act(client, auth, card.id, "report", good="2")  # the sample of 5 is made
    asked = [e["args"][0] for e in qc_socket.get_received() if e["name"] == "first_article_request"]
    assert [(a["work_order_id"], a["product_model"]) for a in asked] == [(card.work_order_id, "P-100")]
    act(client, auth, card.id, "report", scrap="1")  # asked once, not at every report after
    assert [e for e in qc_socket.get_received() if e["name"] == "first_article_request"] == []
