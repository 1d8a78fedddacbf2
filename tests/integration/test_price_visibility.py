"""Prices and margins only for the roles that deal in them (sales, VP, admin, customer service): every
role reads the same order through the API list and detail, the order page, the Excel export and the
price list, and finds its unit price exactly where its role allows."""

from io import BytesIO

import openpyxl
import pytest

from domain.roles import ALL_ROLES, PRICE_ROLES
from tests.conftest import AuthActions, make_user
from tests.integration import order_data

PRICE = "13.75"
LIST_PRICE = "12.5"


@pytest.fixture
def order(app):
    sales = make_user("sales", ["sales"])
    customer, product = order_data.customer("C001"), order_data.product("P-100")
    order_data.price(customer, product, unit_price=LIST_PRICE, unit_cost="9.1")
    return order_data.order_in_stage(
        customer, product, "confirmed", number="SO-PRICE-1", unit_price=PRICE, created_by_id=sales.id
    )


def api_texts(client, headers: dict[str, str], order_id: int) -> list[str]:
    listed = client.get("/api/v1/orders", headers=headers)
    detail = client.get(f"/api/v1/orders/{order_id}", headers=headers)
    assert listed.status_code == 200 and detail.status_code == 200
    assert [o["number"] for o in listed.json["items"]] == ["SO-PRICE-1"]
    return [listed.get_data(as_text=True), detail.get_data(as_text=True)]


def export_cells(client) -> list[str]:
    response = client.get("/orders/excel/orders.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.data)).active
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_unit_prices_reach_only_the_roles_that_deal_in_them(app, client, role, order):
    sees = role in PRICE_ROLES
    auth = AuthActions(client)
    headers = auth.headers(role, "sales" if role == "sales" else f"{role}-api")
    texts = api_texts(client, headers, order.id)
    assert all(('"unit_price"' in text) == sees for text in texts)
    assert all((PRICE in text) == sees for text in texts)
    assert ('"list_price"' in texts[1]) == sees
    auth.login(role, "sales" if role == "sales" else None)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert ('id="field-unit_price"' in page) == sees and (PRICE in page) == sees
    cells = export_cells(client)
    assert "SO-PRICE-1" in cells
    assert ("单价" in cells) == sees and any(PRICE in cell for cell in cells) == sees
    client.post("/logout")
    price_list = client.get("/api/v1/prices", headers=headers)
    assert price_list.status_code == (200 if sees else 403)
