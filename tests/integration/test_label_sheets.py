"""/labels: sheets of QR labels (A4, 50×30 mm thermal) whose codes decode to the right payloads."""

import io
import re

import numpy as np
import pytest
from PIL import Image

from scanning.decoding import read_codes
from scanning.labels import label_url, parse_label
from tests.integration.stock_world import SKU, build_world, label, put_stock
from tests.integration.test_scan_decode_api import BASE

pytestmark = pytest.mark.config(PUBLIC_BASE_URL=BASE)
SVG = re.compile(r'<svg [^>]*viewBox="0 0 (\d+) \1"[^>]*>.*?<path fill="#000" d="([^"]*)"/></svg>')
RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def rasterise(size: int, path: str, scale: int = 6) -> Image.Image:
    """The SVG's runs of dark modules drawn as pixels, the way a printer would."""
    pixels = np.full((size, size), 255, dtype=np.uint8)
    for x, y, width in RUN.findall(path):
        pixels[int(y), int(x) : int(x) + int(width)] = 0
    return Image.fromarray(pixels, "L").resize((size * scale, size * scale), Image.Resampling.NEAREST)


def decoded_codes(html: str) -> list[str]:
    return [read_codes(rasterise(int(size), path))[0] for size, path in SVG.findall(html)]


def payloads(html: str) -> list[str]:
    return re.findall(r'data-payload="([^"]+)"', html)


def stylesheet(client, html: str) -> str:
    href = re.search(r'<link rel="stylesheet" href="([^"]+)" data-testid="sheet-css">', html).group(1)
    return client.get(href).get_data(as_text=True)


@pytest.fixture(autouse=True)
def english(client):
    """The texts asserted below are the English msgids, whatever catalogue is compiled."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(app):
    return build_world(stock_a="5")


def test_a4_sheet_of_a_warehouse_holds_its_signed_location_labels(client, auth, world):
    auth.login("warehouse")
    page = client.get("/labels/locations?warehouse=WH-A&format=a4")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Each carries its printed code (?c=), so a phone shows it before the server has checked the label.
    expected = [label(world.loc_a, BASE) + "?c=A-01", label(world.loc_a2, BASE) + "?c=A-02"]
    assert payloads(html) == expected
    assert decoded_codes(html) == expected
    assert '<b class="label-title">A-01</b>' in html and "WH-A 原料仓" in html
    css = stylesheet(client, html)
    assert re.search(r"@page\s*{\s*size:\s*A4;\s*margin:\s*0;", css)
    assert "repeat(3, 70mm)" in css and "repeat(8, 37mm)" in css


def test_thermal_sheet_puts_one_label_on_each_50_by_30_mm_page(client, auth, world):
    auth.login("admin")
    html = client.get("/labels/locations?warehouse=WH-A&format=thermal").get_data(as_text=True)
    assert html.count('data-testid="sheet-page"') == 2
    assert re.search(r"@page\s*{\s*size:\s*50mm 30mm;\s*margin:\s*0;", stylesheet(client, html))


def test_a4_sheet_breaks_into_pages_of_24(client, auth, world):
    auth.login("planner")
    html = client.get("/labels/numbers?kind=sn&numbers=" + "%0A".join(f"SN{i:04d}" for i in range(30)))
    text = html.get_data(as_text=True)
    assert text.count('data-testid="sheet-page"') == 2 and text.count('data-testid="label"') == 30
    assert decoded_codes(text)[29] == label_url(BASE, "sn", "SN0029")


def test_sku_and_lot_sheets_read_back_to_their_codes(client, auth, world):
    put_stock(world.loc_a, "3", SKU)
    auth.login("planner")
    html = client.get("/labels/skus?q=ABS").get_data(as_text=True)
    assert decoded_codes(html) == [label_url(BASE, "sku", SKU)]
    one = client.get(f"/labels/lots?sku={SKU}&lot=L%2F7&format=thermal").get_data(as_text=True)
    assert decoded_codes(one) == [label_url(BASE, "lot", SKU, "L/7")]
    assert '<b class="label-title">L/7</b>' in one


def test_a_container_label_carries_the_quantity_packed_signed(client, auth, app, world):
    auth.login("warehouse")
    html = client.get(f"/labels/lots?sku={SKU}&lot=L7&qty=25.0&format=thermal").get_data(as_text=True)
    [code] = decoded_codes(html)
    assert code.startswith(label_url(BASE, "lot", SKU, "L7") + "?q=25.")
    with app.test_request_context():
        assert parse_label(code).ids == {"sku": SKU, "lot": "L7", "qty": "25"}
    assert "25 kg" in html
    assert client.get(f"/labels/lots?sku={SKU}&lot=L7&qty=-1").status_code == 422


def test_planner_may_not_print_signed_location_labels(client, auth, world):
    auth.login("planner")
    assert client.get("/labels/locations?warehouse=WH-A").status_code == 403
    assert client.get(f"/labels/code.png?kind=loc&location_id={world.loc_a}").status_code == 403


def test_single_code_as_png_and_svg(client, auth, world):
    auth.login("warehouse")
    png = client.get(f"/labels/code.png?kind=loc&location_id={world.loc_a}")
    assert png.mimetype == "image/png"
    assert read_codes(Image.open(io.BytesIO(png.data)).convert("L")) == [label(world.loc_a, BASE) + "?c=A-01"]
    svg = client.get("/labels/code.svg?kind=wo&work_order=WO-20260112-0003").get_data(as_text=True)
    assert decoded_codes(svg) == [label_url(BASE, "wo", "WO-20260112-0003")]


def test_empty_choice_says_nothing_to_print(client, auth, world):
    auth.login("warehouse")
    page = client.get("/labels/locations?warehouse=NOPE")
    assert page.status_code == 404
    assert "Nothing to print" in page.get_data(as_text=True)


def test_label_index_offers_what_the_role_may_print(client, auth, world):
    auth.login("leader")
    html = client.get("/labels/").get_data(as_text=True)
    assert 'data-testid="print-numbers"' in html and 'data-testid="print-locations"' not in html
