"""The signed sample drawing (DESIGN §3): checked by content and size, stored under a random name,
served as a download only to staff who may see that order."""

import io
from pathlib import Path

import pytest

from domain.drawings import SampleDrawing
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


@pytest.fixture
def upload_root(app, tmp_path) -> Path:
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads" / "drawings"


@pytest.fixture
def order(app):
    owner = make_user("sales", ["sales"])
    return data.order_in_stage(
        data.customer("C001"), data.product("P-100"), "quote", number="SO-D-1", created_by_id=owner.id
    )


def upload(client, headers, order_id, content: bytes, name: str = "drawing.pdf"):
    return client.post(
        f"/api/v1/orders/{order_id}/drawing", data={"file": (io.BytesIO(content), name)}, headers=headers
    )


def test_pdf_is_stored_under_a_random_name_never_the_uploaders(client, auth, order, upload_root):
    response = upload(client, auth.headers("sales"), order.id, data.PDF, "../../etc/客户签样图.pdf")
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == "application/pdf"
    assert response.json["filename"] == "客户签样图.pdf"
    row = db.session.get(SampleDrawing, response.json["id"])
    stored = list(upload_root.iterdir())
    assert [p.name for p in stored] == [row.stored_name]
    assert row.stored_name.endswith(".pdf") and "签样" not in row.stored_name and len(row.stored_name) == 36
    assert stored[0].read_bytes() == data.PDF


def test_file_that_is_not_pdf_png_or_jpeg_by_content_is_refused(client, auth, order, upload_root):
    response = upload(client, auth.headers("sales"), order.id, b"<html><script>alert(1)</script>", "x.pdf")
    assert response.status_code == 415
    assert response.json["error"]["code"] == "drawing_type"
    assert not upload_root.exists() or not any(upload_root.iterdir())


def test_drawing_over_10_mb_is_refused(client, auth, order):
    big = data.PDF + b"0" * (10 * 1024 * 1024)
    response = upload(client, auth.headers("sales"), order.id, big)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "drawing_too_large"


def test_drawing_downloads_as_an_attachment_that_is_never_sniffed(client, auth, order):
    headers = auth.headers("sales")
    upload(client, headers, order.id, data.PNG, "sample.png")
    response = client.get(f"/api/v1/orders/{order.id}/drawing", headers=headers)
    assert response.status_code == 200
    assert response.data == data.PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["sales2", "warehouse", "cs"])
def test_drawing_is_not_served_to_staff_who_may_not_see_it(client, auth, order, who):
    upload(client, auth.headers("sales"), order.id, data.PDF)
    role = "sales" if who == "sales2" else who
    response = client.get(f"/api/v1/orders/{order.id}/drawing", headers=auth.headers(role, username=who))
    assert response.status_code == 403


def test_drawing_is_not_served_without_signing_in(client, auth, order):
    upload(client, auth.headers("sales"), order.id, data.PDF)
    assert client.get(f"/api/v1/orders/{order.id}/drawing").status_code == 401


def test_qc_and_leader_may_download_the_drawing(client, auth, order):
    upload(client, auth.headers("sales"), order.id, data.PDF)
    for role in ("qc", "leader", "planner"):
        assert client.get(f"/api/v1/orders/{order.id}/drawing", headers=auth.headers(role)).status_code == 200
