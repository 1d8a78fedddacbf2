"""BOM admin pages: draft a version, add and edit lines, activate, copy; active versions are read-only."""

import pytest

from domain.masterdata import BomVersion, Product, Sku
from extensions import db


@pytest.fixture
def product(app, auth):
    auth.login("admin")
    row = Product(model="HX-200", name="外壳 200")
    db.session.add_all([row, Sku(code="PC-001", name="PC resin", unit="kg"), Sku(code="DYE-RED", name="Red")])
    db.session.commit()
    return row


def new_draft(client, product) -> int:
    response = client.post(f"/admin/boms/product/{product.id}/new")
    assert response.status_code == 302
    return int(response.location.rstrip("/").rsplit("/", 1)[-1])


def add_line(client, version_id, sku="PC-001", qty="0.25", scrap="2"):
    return client.post(
        f"/admin/boms/{version_id}/lines", data={"sku_code": sku, "qty_per": qty, "scrap_pct": scrap}
    )


def test_product_list_shows_which_products_lack_an_active_bom(client, product):
    page = client.get("/admin/boms/?q=HX").get_data(as_text=True)
    assert 'data-product="HX-200"' in page
    assert "No active BOM" in page


def test_product_list_is_paged(client, product):
    db.session.add_all([Product(model=f"P-{n:02d}", name="x") for n in range(30)])
    db.session.commit()
    second = client.get("/admin/boms/?page=2").get_data(as_text=True)
    assert 'data-product="P-29"' in second
    assert 'data-product="HX-200"' not in second


def test_admin_drafts_a_version_and_adds_lines(client, product):
    version_id = new_draft(client, product)
    assert add_line(client, version_id).status_code == 302
    page = client.get(f"/admin/boms/{version_id}").get_data(as_text=True)
    assert 'data-sku="PC-001"' in page
    assert "0.25 kg per unit, scrap 2 %" in page


def test_bad_quantity_is_shown_under_the_field(client, product):
    version_id = new_draft(client, product)
    response = add_line(client, version_id, qty="0")
    assert response.status_code == 422
    assert "The quantity per unit must be greater than 0." in response.get_data(as_text=True)


def test_unknown_sku_is_shown_under_the_sku_field(client, product):
    response = add_line(client, new_draft(client, product), sku="NOPE")
    assert response.status_code == 422
    assert "There is no SKU NOPE." in response.get_data(as_text=True)


def test_line_quantity_is_edited_on_a_draft(client, product):
    version_id = new_draft(client, product)
    add_line(client, version_id)
    line_id = db.session.get(BomVersion, version_id).lines[0].id
    response = client.post(
        f"/admin/boms/{version_id}/lines/{line_id}", data={"qty_per": "0.5", "scrap_pct": "0"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert float(db.session.get(BomVersion, version_id).lines[0].qty_per) == 0.5


def test_activated_version_shows_no_edit_forms_and_refuses_edits(client, product):
    version_id = new_draft(client, product)
    add_line(client, version_id)
    assert client.post(f"/admin/boms/{version_id}/activate").status_code == 302
    page = client.get(f"/admin/boms/{version_id}").get_data(as_text=True)
    assert 'data-testid="immutable"' in page
    assert 'data-testid="add-line"' not in page
    add_line(client, version_id, sku="DYE-RED")
    db.session.expire_all()
    assert [ln.sku.code for ln in db.session.get(BomVersion, version_id).lines] == ["PC-001"]


def test_new_version_from_an_active_one_opens_an_editable_copy(client, product):
    version_id = new_draft(client, product)
    add_line(client, version_id)
    client.post(f"/admin/boms/{version_id}/activate")
    response = client.post(f"/admin/boms/{version_id}/copy")
    assert response.status_code == 302
    copy_page = client.get(response.location).get_data(as_text=True)
    assert 'data-sku="PC-001"' in copy_page
    assert 'data-testid="add-line"' in copy_page


def test_draft_can_be_deleted(client, product):
    version_id = new_draft(client, product)
    assert client.post(f"/admin/boms/{version_id}/delete").status_code == 302
    assert db.session.get(BomVersion, version_id) is None


def test_bom_pages_are_for_admins_only(client, auth):
    auth.login("planner")
    assert client.get("/admin/boms/").status_code == 403
