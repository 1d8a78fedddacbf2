"""HTML injection: every free-text field of the order, customer and master-data records, stored with
script and attribute-breaking payloads through the API, comes back escaped on every page that shows
it (lists, edit forms, order detail) — never as markup."""

import itertools
from datetime import date, timedelta

import pytest
from markupsafe import escape

from tests.conftest import make_user

PAYLOADS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>"]
counter = itertools.count(1)


def hostile(max_length: int | None, n: int) -> str:
    text = f"{PAYLOADS[n % len(PAYLOADS)]}#{n}"
    return text if max_length is None or len(text) <= max_length else PAYLOADS[1][: max_length - 1]


def text_fields(spec: dict, schema_name: str) -> dict[str, int | None]:
    """The free-text properties of a request schema: strings without an enum, format or pattern."""
    props = spec["components"]["schemas"][schema_name]["properties"]
    return {
        name: p.get("maxLength")
        for name, p in props.items()
        if p.get("type") == "string" and not ({"enum", "format", "pattern"} & p.keys())
    }


def create(
    client, headers: dict, path: str, schema: str, spec: dict, fixed: dict
) -> tuple[int, dict[str, str]]:
    body = {name: hostile(max_len, next(counter)) for name, max_len in text_fields(spec, schema).items()}
    body.update(fixed)
    response = client.post(path, json=body, headers={**headers, "Idempotency-Key": f"k{next(counter)}"})
    assert response.status_code == 201, (path, response.json)
    return response.json["id"], {k: v for k, v in body.items() if k not in fixed}


def assert_escaped(pages: dict[str, str], values: dict[str, str]) -> int:
    """No page holds a payload raw; each value shows (escaped) on at least one page."""
    for url, html in pages.items():
        for payload in PAYLOADS:
            assert payload not in html, f"{url} renders {payload!r} unescaped"
    shown = 0
    for value in values.values():
        if any(str(escape(value)) in html for html in pages.values()):
            shown += 1
    return shown


@pytest.mark.config(REQUEST_LOG="off")
def test_master_data_and_orders_render_hostile_text_escaped(app, client, auth):
    headers = auth.headers("admin", username="inject-admin")
    make_user("inject-admin", ["admin", "sales", "planner", "warehouse"])
    auth.login("admin", username="inject-admin")
    make_user("inject-admin", ["admin", "sales", "planner", "warehouse"])
    spec = client.get("/api/v1/openapi.json").json
    checked = {"fields": 0, "shown": 0, "pages": 0}

    def check(kind: str, row_id: int, values: dict[str, str]) -> None:
        pages = {
            url: client.get(url).get_data(as_text=True)
            for url in (f"/admin/{kind}/", f"/admin/{kind}/{row_id}")
        }
        checked["fields"] += len(values)
        checked["pages"] += len(pages)
        checked["shown"] += assert_escaped(pages, values)

    warehouse, values = create(client, headers, "/api/v1/warehouses", "WarehouseIn", spec, {"code": "WH-X"})
    workshop, w_values = create(client, headers, "/api/v1/workshops", "WorkshopIn", spec, {"code": "WS-X"})
    check("workshops", workshop, w_values)
    customer, c_values = create(client, headers, "/api/v1/customers", "CustomerIn", spec, {"code": "C-X"})
    check("customers", customer, c_values)
    product, p_values = create(client, headers, "/api/v1/products", "ProductIn", spec, {"model": "M-X"})
    check("products", product, p_values)
    for kind, path, schema, fixed in [
        ("skus", "/api/v1/skus", "SkuIn", {"code": "SKU-X"}),
        ("teams", "/api/v1/teams", "TeamIn", {"code": "T-X", "workshop_id": workshop}),
        ("locations", "/api/v1/locations", "LocationIn", {"code": "L-X", "warehouse_id": warehouse}),
        (
            "service-points",
            "/api/v1/service-points",
            "ServicePointIn",
            {"code": "SP-X", "lat": 23.02, "lon": 113.75},
        ),
    ]:
        row, row_values = create(client, headers, path, schema, spec, fixed)
        check(kind, row, row_values)

    due = (date.today() + timedelta(days=60)).isoformat()
    order, o_values = create(
        client, headers, "/api/v1/orders", "OrderCreateIn", spec,
        {"customer_code": "C-X", "product_model": "M-X", "due_date": due, "quantity": 100},
    )  # fmt: skip
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in ("/orders/", f"/orders/{order}", f"/orders/{order}/edit")
    }
    pages["warehouses"] = client.get(f"/admin/warehouses/{warehouse}").get_data(as_text=True)
    checked["fields"] += len(o_values) + len(values)
    checked["pages"] += len(pages)
    checked["shown"] += assert_escaped(pages, {**o_values, **values})
    print(
        f"\nHTML injection: {checked['fields']} free-text fields stored with payloads, "
        f"{checked['pages']} pages fetched, {checked['shown']} values seen escaped, none raw"
    )
    assert checked["shown"] >= checked["fields"] * 0.6  # most fields are shown somewhere, all of them escaped
