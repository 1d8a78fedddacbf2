"""POST /api/v1/scan/decode: a phone photo's codes, this app's labels read, clear §12 refusals."""

import io

import pytest
from PIL import Image

from scanning.labels import label_url
from tests.integration.stock_world import label
from tests.label_photos import Rough, ean13, render

BASE = "https://oh.example.cn"
pytestmark = pytest.mark.config(PUBLIC_BASE_URL=BASE, SCAN_PHOTO_MAX_BYTES=2 * 1024 * 1024)


def post_photo(client, headers, data: bytes, name: str = "photo.jpg"):
    return client.post(
        "/api/v1/scan/decode",
        data={"photo": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_photo_with_a_location_label_and_a_barcode_reads_both(client, auth):
    location = label(7, BASE)
    barcode = ean13("690123456789")
    photo = render(location, Rough(angle=25, blur=0.8, others=1, seed=3), [barcode])
    response = post_photo(client, auth.headers("warehouse"), photo)
    assert response.status_code == 200, response.json
    assert response.json == {
        "codes": [location, barcode],
        "labels": [{"kind": "loc", "text": location, "location_id": 7}],
        "refused": [],
        "others": [barcode],
    }


def test_lot_label_is_read_into_sku_and_lot(client, auth):
    lot = label_url(BASE, "lot", "RM/PP-01", "L240115-A")
    response = post_photo(client, auth.headers("leader"), render(lot, Rough(seed=4)))
    assert response.json["labels"] == [{"kind": "lot", "text": lot, "sku": "RM/PP-01", "lot": "L240115-A"}]


def test_forged_location_label_is_reported_as_refused(client, auth):
    forged = f"{BASE}/s/loc/7.AAAAAAAAAAA"
    response = post_photo(client, auth.headers("warehouse"), render(forged, Rough(seed=5)))
    assert response.status_code == 200
    assert response.json["labels"] == []
    assert response.json["refused"][0]["code"] == "invalid_location_label"
    assert response.json["refused"][0]["text"] == forged


def test_photo_without_a_code_is_422_no_code_found(client, auth):
    blank = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 190, 180)).save(blank, format="JPEG")
    response = post_photo(client, auth.headers("warehouse"), blank.getvalue())
    assert response.status_code == 422
    assert response.json["error"]["code"] == "no_code_found"
    assert "photo" in response.json["error"]["fields"]


def test_text_file_is_415_not_an_image(client, auth):
    response = post_photo(client, auth.headers("warehouse"), b"<html>not a photo</html>", "photo.jpg")
    assert response.status_code == 415
    assert response.json["error"]["code"] == "not_an_image"


def test_photo_over_the_size_limit_is_413_photo_too_large(client, auth):
    huge = b"\xff\xd8\xff\xe0" + bytes(3 * 1024 * 1024)
    response = post_photo(client, auth.headers("warehouse"), huge)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "photo_too_large"


def test_missing_photo_field_is_named(client, auth):
    response = client.post(
        "/api/v1/scan/decode", data={}, headers=auth.headers("warehouse"), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "photo_required"
    assert "photo" in response.json["error"]["fields"]


def test_signed_out_caller_is_401(client):
    response = post_photo(client, {}, render(f"{BASE}/s/sku/A1", Rough(seed=6)))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
