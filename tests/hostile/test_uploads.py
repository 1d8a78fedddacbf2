"""Hostile uploads against every upload endpoint: the order's sample drawing, the scanner's photo and
the Excel order import. Oversized bodies, files whose content is not what their name says,
decompression bombs (a PNG of 30,000 × 30,000 pixels in ~100 KB, an .xlsx whose sheet inflates to
hundreds of MB) and path tricks in file names are refused or neutralised, with a 4xx in the DESIGN §12
shape, never a 5xx, never a file outside the upload folder."""

import io
import struct
import time
import zipfile
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PATH_TRICKS = [
    "../../../../tmp/evil.pdf",
    "..\\..\\windows\\evil.pdf",
    "/etc/cron.d/evil.pdf",
    "a\r\nX-Evil: 1.pdf",
]


def png_bomb(side: int = 30_000) -> bytes:
    """A valid 1-bit greyscale PNG of side × side pixels, all black: ~112 MB of pixels in ~110 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + side // 8)
    idat = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def xlsx_bomb(megabytes: int = 300) -> bytes:
    """A zip named .xlsx whose worksheet inflates to `megabytes` MB of XML whitespace."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(block)
    return out.getvalue()


def assert_refused(response, statuses: tuple[int, ...]) -> str:
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    error = response.json["error"]
    assert error["code"] and error["message"] and isinstance(error["fields"], dict)
    return error["code"]


@pytest.fixture
def order_id(client, auth) -> tuple[int, dict]:
    headers = auth.headers("admin", username="uploader")
    make_user("uploader", ["admin", "sales", "warehouse"])
    for path, body in [
        ("/api/v1/customers", {"code": "C-UP", "name": "上传客户"}),
        ("/api/v1/products", {"model": "M-UP", "name": "外壳"}),
        ("/api/v1/orders", {"customer_code": "C-UP", "product_model": "M-UP", "quantity": 10,
                            "due_date": (date.today() + timedelta(days=30)).isoformat()}),
    ]:  # fmt: skip
        response = client.post(path, json=body, headers={**headers, "Idempotency-Key": path})
        assert response.status_code == 201, response.json
    return response.json["id"], headers


def post_file(client, url: str, headers: dict, field: str, data: bytes, name: str, mimetype: str):
    return client.post(
        url,
        data={field: (io.BytesIO(data), name, mimetype)},
        headers={**headers, "Idempotency-Key": f"u{time.monotonic_ns()}"},
        content_type="multipart/form-data",
    )


@pytest.mark.config(REQUEST_LOG="off")
def test_drawing_upload_refuses_oversized_wrong_type_and_neutralises_path_tricks(
    app, client, order_id, tmp_path
):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    oid, headers = order_id
    url = f"/api/v1/orders/{oid}/drawing"
    counts = {"sent": 0, "refused": 0}

    def send(data: bytes, name: str, mimetype: str = "application/pdf"):
        counts["sent"] += 1
        return post_file(client, url, headers, "file", data, name, mimetype)

    assert_refused(send(PDF + b"0" * (17 * 1024 * 1024), "huge.pdf"), (413,))  # past MAX_CONTENT_LENGTH
    assert assert_refused(send(PDF + b"0" * (10 * 1024 * 1024), "big.pdf"), (413,)) == "drawing_too_large"
    for data, name, mimetype in [
        (b"<html><script>alert(1)</script></html>", "drawing.pdf", "application/pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "drawing.png", "image/png"),
        (b"MZ\x90\x00" + b"\x00" * 100, "drawing.jpg", "image/jpeg"),
        (b"PK\x03\x04" + b"\x00" * 100, "drawing.pdf", "application/pdf"),
        (b"", "empty.pdf", "application/pdf"),
    ]:
        assert_refused(send(data, name, mimetype), (413, 415, 422))
    counts["refused"] = counts["sent"]
    stored_tricks = 0
    for name in PATH_TRICKS:
        response = send(PDF, name)
        if "\r" in name and response.status_code == 422:
            continue  # the CR/LF breaks the multipart part itself: no file arrives, a §12 refusal
        assert response.status_code == 201, (name, response.json)
        stored_tricks += 1
        shown = response.json["filename"]
        assert "/" not in shown and "\\" not in shown and "\r" not in shown and "\n" not in shown, shown
        download = client.get(f"/api/v1/orders/{oid}/drawings/{response.json['id']}", headers=headers)
        assert download.status_code == 200 and download.data == PDF
        assert "X-Evil" not in download.headers and "\n" not in download.headers["Content-Disposition"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    stored = [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]
    assert {p.name.split(".")[0] for p in tmp_path.iterdir() if p.is_file()} <= {"test"}  # only the database
    assert len(stored) == stored_tricks >= 3
    assert all(p.parent == tmp_path / "uploads" / "drawings" for p in stored)  # random names, in the folder
    assert not Path("/tmp/evil.pdf").exists()
    print(
        f"\ndrawing uploads: {counts['sent']} sent, {counts['refused']} refused, "
        f"{stored_tricks} of {len(PATH_TRICKS)} path-trick names stored safely"
    )


@pytest.mark.config(REQUEST_LOG="off")
def test_scan_photo_refuses_a_decompression_bomb_and_non_images(client, order_id):
    _, headers = order_id
    bomb = png_bomb()
    started = time.monotonic()
    response = post_file(client, "/api/v1/scan/decode", headers, "photo", bomb, "label.png", "image/png")
    took = time.monotonic() - started
    code = assert_refused(response, (413, 415, 422))
    assert took < 10, f"the bomb took {took:.1f} s"
    assert_refused(
        post_file(client, "/api/v1/scan/decode", headers, "photo", b"not an image", "a.jpg", "image/jpeg"),
        (415, 422),
    )
    assert_refused(
        post_file(
            client,
            "/api/v1/scan/decode",
            headers,
            "photo",
            b"\xff\xd8\xff" + b"0" * (17 * 1024 * 1024),
            "a.jpg",
            "image/jpeg",
        ),
        (413,),
    )
    print(
        f"\nscan photo: a {len(bomb) // 1024} KB PNG of 30,000 × 30,000 px refused as {code} in {took:.2f} s"
    )


@pytest.mark.config(REQUEST_LOG="off", DELIVERY_WORKER="thread")  # the worker runs the import
def test_excel_import_refuses_a_zip_bomb_and_non_xlsx(client, order_id):
    _, headers = order_id
    bomb = xlsx_bomb()
    started = time.monotonic()
    response = post_file(client, "/api/v1/order-imports", headers, "file", bomb, "orders.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code == 202:  # accepted for the background import: the job must fail, not hang
        job = response.json["id"]
        for _ in range(100):
            state = client.get(f"/api/v1/order-imports/{job}", headers=headers)
            assert state.status_code == 200
            if state.json.get("status") not in ("queued", "running", "pending"):
                break
            time.sleep(0.2)
        assert state.json.get("status") in ("failed", "refused", "error"), state.json
    took = time.monotonic() - started
    assert took < 30, f"the zip bomb took {took:.1f} s"
    assert_refused(
        post_file(
            client,
            "/api/v1/order-imports",
            headers,
            "file",
            b"<html></html>",
            "x.xlsx",
            "application/octet-stream",
        ),
        (413, 415, 422),
    )
    print(
        f"\nxlsx import: a {len(bomb) // 1024} KB zip inflating to 300 MB answered "
        f"{response.status_code} in {took:.2f} s"
    )
