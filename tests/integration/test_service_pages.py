"""Service ticket pages: customer service opens a ticket from a serial, assigns and closes it with a
rating; the technician sees only their tickets; photos are served to the allowed roles only."""

import base64
import uuid

import pytest

from domain.service.tickets import ServiceTicket
from extensions import db
from tests.integration.service_world import build_service_world

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    return build_service_world()


def open_on_page(client, auth, world) -> ServiceTicket:
    auth.login("cs")
    response = client.post("/service/new", data={"serial": world.serial, "fault_description": "卡扣断了"})
    assert response.status_code == 302
    return db.session.execute(db.select(ServiceTicket)).scalar_one()


def test_customer_service_opens_a_ticket_from_a_serial_and_sees_order_and_warranty(client, auth, world):
    ticket = open_on_page(client, auth, world)
    page = client.get(f"/service/{ticket.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert world.order in html and world.serial in html
    assert 'data-status="in_warranty"' in html or 'data-status="expired"' in html


def test_a_refused_ticket_form_keeps_what_was_typed_and_flags_the_field(client, auth, world):
    auth.login("cs")
    response = client.post("/service/new", data={"serial": "SN-UNKNOWN", "fault_description": "按键失灵"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "SN-UNKNOWN" in html and "按键失灵" in html and "flagged" in html


def test_desk_assigns_then_closes_with_a_rating(client, auth, world):
    ticket = open_on_page(client, auth, world)
    client.post(f"/service/{ticket.id}/assign", data={"technician": "tech"})
    db.session.refresh(ticket)
    assert (ticket.state, ticket.assigned_to.username) == ("assigned", "tech")
    refused = client.post(f"/service/{ticket.id}/close", data={"rating": "5"}, follow_redirects=True)
    assert refused.status_code == 200
    db.session.refresh(ticket)
    assert ticket.state == "assigned"  # not resolved yet: refused with a message, nothing changed


def test_technician_list_shows_only_their_tickets(client, auth, world):
    ticket = open_on_page(client, auth, world)
    client.post(f"/service/{ticket.id}/assign", data={"technician": "tech2"})
    auth.logout()
    auth.login("service", "tech")
    assert ticket.number not in client.get("/service/").get_data(as_text=True)
    auth.logout()
    auth.login("service", "tech2")
    page = client.get("/service/").get_data(as_text=True)
    assert ticket.number in page
    assert 'data-testid="tech-panel"' in client.get(f"/service/{ticket.id}").get_data(as_text=True)


def test_photos_are_served_to_allowed_roles_only_and_never_as_html(client, auth, world):
    ticket = open_on_page(client, auth, world)
    client.post(f"/service/{ticket.id}/assign", data={"technician": "tech"})
    auth.logout()
    headers = {**auth.headers("service", "tech"), "Idempotency-Key": uuid.uuid4().hex}
    client.post(f"/api/v1/service/tickets/{ticket.id}/arrive", json={}, headers=headers)
    headers["Idempotency-Key"] = uuid.uuid4().hex
    stored = client.post(
        f"/api/v1/service/tickets/{ticket.id}/photos",
        json={"data": base64.b64encode(PNG).decode()},
        headers=headers,
    )
    assert stored.status_code == 201
    photo_id = stored.json["photos"][0]
    auth.login("qc")
    shown = client.get(f"/service/photos/{photo_id}")
    assert (shown.status_code, shown.mimetype, shown.data) == (200, "image/png", PNG)
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    auth.logout()
    auth.login("sales")
    assert client.get(f"/service/photos/{photo_id}").status_code == 403


def test_analytics_page_lists_repairs_by_model(client, auth, world):
    open_on_page(client, auth, world)
    page = client.get("/service/analytics")
    assert page.status_code == 200
    assert f'data-model="{world.product}"' in page.get_data(as_text=True)


def test_a_serial_label_opens_the_serial_with_its_order_and_repairs(client, auth, world):
    ticket = open_on_page(client, auth, world)
    page = client.get(f"/s/sn/{world.serial}", follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert world.order in html and ticket.number in html and 'data-status="' in html


def test_a_technician_scanning_the_unit_of_their_open_ticket_lands_on_that_ticket(client, auth, world):
    ticket = open_on_page(client, auth, world)
    client.post(f"/service/{ticket.id}/assign", data={"technician": "tech"})
    auth.logout()
    auth.login("service", "tech")
    response = client.get(f"/service/serial/{world.serial}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/service/{ticket.id}")
