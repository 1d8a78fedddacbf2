"""Inspections over the API (DESIGN §7): the checklist judges a phone's answers, photos are checked by
content and size, and an order moves to awaiting QC / shipped only with passed inspections."""

import io

import pytest

from domain.orders.models import Order
from extensions import db
from tests.integration.quality_world import add_order, add_work_order, build_plant

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
WALL = {"name": "壁厚 wall", "nominal": "2.0", "tol_minus": "0.05", "tol_plus": "0.1", "unit": "mm"}
CHECKLIST = {
    "items": [
        {**WALL, "method": "measure"},
        {"name": "外观 surface", "method": "check", "final": True, "first_article": True},
        {"name": "包装 packing", "method": "check", "first_article": False},
    ]
}


@pytest.fixture
def plant(app):
    plant = build_plant()
    add_order(plant, "C-A", "SO-A")
    add_work_order(plant, "SO-A", "WO-A")
    return plant


def key(n: int) -> dict:
    return {"Idempotency-Key": f"k-{n}"}


def items(client, headers, product_id) -> dict[str, int]:
    response = client.put(f"/api/v1/quality/checklists/{product_id}", json=CHECKLIST, headers=headers)
    assert response.status_code == 200, response.json
    return {item["name"]: item["id"] for item in response.json["items"]}


def inspect(client, headers, wo_id, kind, answers, n):
    return client.post(
        f"/api/v1/quality/work-orders/{wo_id}/inspections",
        json={"kind": kind, "answers": answers},
        headers={**headers, **key(n)},
    )


def move(client, headers, order_id, to):
    return client.post(f"/api/v1/orders/{order_id}/transition", json={"to": to}, headers=headers)


def test_failed_first_article_inspection_keeps_the_order_out_of_awaiting_qc(client, auth, plant):
    qc, planner = auth.headers("qc"), auth.headers("planner")
    ids = items(client, qc, plant.product_id)
    wo = plant.work_orders["WO-A"]
    order = plant.orders["SO-A"]

    refused = move(client, planner, order, "awaiting_qc")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "first_article_inspection_required"
    assert "WO-A" in refused.json["error"]["message"]

    answers = {f"item_{ids['壁厚 wall']}": "2.2", f"item_{ids['外观 surface']}": "pass"}
    failed = inspect(client, qc, wo, "first_article", answers, 1)
    assert failed.status_code == 201, failed.json
    assert (failed.json["passed"], failed.json["attempt"]) == (False, 1)
    assert [r["passed"] for r in failed.json["results"]] == [False, True]  # packing is not asked first
    assert move(client, planner, order, "awaiting_qc").status_code == 409

    answers[f"item_{ids['壁厚 wall']}"] = "2.05"
    passed = inspect(client, qc, wo, "first_article", answers, 2)
    assert (passed.json["passed"], passed.json["attempt"]) == (True, 2)
    assert move(client, planner, order, "awaiting_qc").status_code == 200

    no_final = move(client, qc, order, "shipped")
    assert (no_final.status_code, no_final.json["error"]["code"]) == (409, "final_inspection_required")
    answers[f"item_{ids['包装 packing']}"] = "ok"
    assert inspect(client, qc, wo, "final", answers, 3).json["passed"] is True
    assert move(client, qc, order, "shipped").status_code == 200
    db.session.expire_all()
    assert db.session.get(Order, order).stage == "shipped"


def test_an_order_without_work_orders_cannot_reach_awaiting_qc(client, auth, plant):
    order = add_order(plant, "C-B", "SO-B")
    refused = move(client, auth.headers("planner"), order, "awaiting_qc")
    assert refused.status_code == 409
    assert refused.json["error"]["fields"]["to"]


def test_every_unanswered_item_is_named(client, auth, plant):
    qc = auth.headers("qc")
    ids = items(client, qc, plant.product_id)
    response = inspect(client, qc, plant.work_orders["WO-A"], "first_article", {}, 1)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {
        f"item_{ids['壁厚 wall']}",
        f"item_{ids['外观 surface']}",
    }


def test_photos_are_png_or_jpeg_by_content_and_at_most_8_mb(client, auth, plant, tmp_path, app):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    qc = auth.headers("qc")
    ids = items(client, qc, plant.product_id)
    answers = {f"item_{ids['壁厚 wall']}": "2.0", f"item_{ids['外观 surface']}": "fail"}
    inspection = inspect(client, qc, plant.work_orders["WO-A"], "first_article", answers, 1).json

    def upload(data: bytes, name: str, n: int):
        return client.post(
            f"/api/v1/quality/inspections/{inspection['id']}/photos",
            data={"photo": (io.BytesIO(data), name)},
            headers={**qc, **key(n)},
            content_type="multipart/form-data",
        )

    assert upload(b"GIF89a" + b"\0" * 20, "defect.png", 2).status_code == 415
    assert upload(b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024), "big.jpg", 3).status_code == 413
    stored = upload(PNG, "缩水 sink mark.png", 4)
    assert stored.status_code == 201, stored.json
    photo = client.get(
        f"/api/v1/quality/inspections/{inspection['id']}/photos/{stored.json['id']}", headers=qc
    )
    assert (photo.status_code, photo.data, photo.mimetype) == (200, PNG, "image/png")
    again = client.get(f"/api/v1/quality/inspections/{inspection['id']}", headers=qc)
    assert [p["filename"] for p in again.json["photos"]] == ["缩水 sink mark.png"]


def test_first_pass_yield_per_month_product_and_workshop(client, auth, plant):
    qc = auth.headers("qc")
    ids = items(client, qc, plant.product_id)
    add_order(plant, "C-B", "SO-B")
    add_work_order(plant, "SO-B", "WO-B")
    good = {
        f"item_{ids['壁厚 wall']}": "2.0",
        f"item_{ids['外观 surface']}": "pass",
        f"item_{ids['包装 packing']}": "pass",
    }
    bad = {**good, f"item_{ids['外观 surface']}": "fail"}
    inspect(client, qc, plant.work_orders["WO-A"], "final", good, 1)
    inspect(client, qc, plant.work_orders["WO-B"], "final", bad, 2)
    inspect(client, qc, plant.work_orders["WO-B"], "final", good, 3)  # rework passes: not first-pass
    for by, key_ in (("product", "HX-300"), ("workshop", "WS-1")):
        rows = client.get(f"/api/v1/quality/first-pass-yield?by={by}", headers=qc).json
        assert rows == [{"key": key_, "first_pass": 1, "inspected": 2, "rate": "0.5000"}]
    months = client.get("/api/v1/quality/first-pass-yield", headers=auth.headers("vp")).json
    assert [(r["first_pass"], r["inspected"]) for r in months] == [(1, 2)]


def test_only_qc_records_inspections(client, auth, plant):
    response = inspect(client, auth.headers("leader"), plant.work_orders["WO-A"], "final", {}, 1)
    assert response.status_code == 403


def test_passing_first_article_moves_an_order_whose_work_orders_are_done_on_to_awaiting_qc(
    client, auth, plant
):
    qc = auth.headers("qc")
    ids = items(client, qc, plant.product_id)
    answers = {f"item_{ids['壁厚 wall']}": "2.0", f"item_{ids['外观 surface']}": "pass"}
    add_order(plant, "C-B", "SO-B")
    add_work_order(plant, "SO-B", "WO-B1", status="finished")
    add_work_order(plant, "SO-B", "WO-B2", status="in_progress")
    inspect(client, qc, plant.work_orders["WO-B1"], "first_article", answers, 1)
    inspect(client, qc, plant.work_orders["WO-B2"], "first_article", answers, 2)
    db.session.expire_all()
    assert db.session.get(Order, plant.orders["SO-B"]).stage == "in_production"  # WO-B2 still running

    add_order(plant, "C-C", "SO-C")
    add_work_order(plant, "SO-C", "WO-C", status="finished")  # production finished before QC came by
    inspect(client, qc, plant.work_orders["WO-C"], "first_article", answers, 3)
    db.session.expire_all()
    assert db.session.get(Order, plant.orders["SO-C"]).stage == "awaiting_qc"
