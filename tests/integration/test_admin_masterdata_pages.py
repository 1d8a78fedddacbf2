"""Admin pages for master data, used the way an administrator would: lists, forms, (de)activation."""

import re

import pytest

from domain.audit import AuditLog
from domain.masterdata import Customer, Team
from domain.masterdata_admin import service
from extensions import db
from tests.conftest import make_user


def _new(kind: str, **data):
    return service.create(kind, data, None)


def _listed(html: str) -> list[str]:
    """The row titles of a list page, in order."""
    return re.findall(r'<b><a href="/admin/[^"]+">([^<]+)</a></b>', html)


def _customer(code: str) -> Customer:
    return db.session.execute(db.select(Customer).where(Customer.code == code)).scalar_one()


# ---- the admin home ----


def test_admin_home_links_every_master_data_section(client, auth):
    auth.login("admin")
    html = client.get("/admin/").text
    for path in (
        "customers",
        "products",
        "prices",
        "skus",
        "workshops",
        "teams",
        "locations",
        "service-points",
    ):
        assert f'href="/admin/{path}/"' in html


def test_admin_home_links_warehouses_and_users_sections(client, auth):
    auth.login("admin")
    html = client.get("/admin/").text
    assert 'href="/admin/warehouses/"' in html and 'href="/admin/users/"' in html


# ---- create, edit ----


def test_admin_creates_customer_through_the_form(client, auth):
    auth.login("admin")
    form = {
        "code": "C001",
        "name": "Acme",
        "address": "Dongguan",
        "lat": "22.8",
        "lon": "113.7",
        "blocked": "1",
    }
    response = client.post("/admin/customers/new", data=form)
    assert response.status_code == 302
    customer = _customer("C001")
    assert (customer.name, customer.lat, customer.blocked) == ("Acme", 22.8, True)
    assert "C001 · Acme" in _listed(client.get("/admin/customers/").text)


def test_created_customer_is_audited_with_the_admin(client, auth):
    auth.login("admin")
    client.post("/admin/customers/new", data={"code": "C001", "name": "Acme"})
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "customer_create")).scalar_one()
    assert row.user_id == make_user("admin", ["admin"]).id and row.changes["code"] == [None, "C001"]


def test_duplicate_code_is_shown_under_the_code_input(client, auth):
    _new("customers", code="C001", name="First")
    auth.login("admin")
    response = client.post("/admin/customers/new", data={"code": "C001", "name": "Second"})
    assert response.status_code == 422
    assert 'data-testid="error-code"' in response.text
    assert 'value="Second"' in response.text  # what was typed is kept
    assert db.session.execute(db.select(db.func.count(Customer.id))).scalar() == 1


def test_latitude_out_of_range_is_shown_under_its_input(client, auth):
    auth.login("admin")
    response = client.post(
        "/admin/customers/new", data={"code": "C001", "name": "A", "lat": "95", "lon": "113"}
    )
    assert response.status_code == 422 and 'data-testid="error-lat"' in response.text


def test_empty_form_names_each_missing_input(client, auth):
    _new("workshops", code="W1", name="Moulding")
    auth.login("admin")
    response = client.post("/admin/teams/new", data={"code": "", "name": "", "workshop_id": ""})
    for name in ("code", "name", "workshop_id"):
        assert f'data-testid="error-{name}"' in response.text


def test_new_form_starts_with_the_defaults(client, auth):
    auth.login("admin")
    html = client.get("/admin/products/new").text
    assert 'name="std_lead_days" value="15"' in html


def test_edit_form_shows_stored_values(client, auth):
    sku = _new("skus", code="R-1", name="Resin", safety_stock="12.5")
    auth.login("admin")
    html = client.get(f"/admin/skus/{sku.id}").text
    assert 'value="R-1"' in html and 'value="12.5"' in html


def test_admin_edits_product_and_the_change_is_audited(client, auth):
    product = _new("products", model="PX-1", name="Box")
    auth.login("admin")
    form = {"model": "PX-1", "name": "Box, large", "std_lead_days": "20", "mold": "M-7", "colorant": ""}
    form |= {"needs_first_article": "1", "first_article_qty": "5"}  # the ticked box the form starts with
    assert client.post(f"/admin/products/{product.id}", data=form).status_code == 302
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "product_update")).scalar_one()
    assert row.changes == {"name": ["Box", "Box, large"], "std_lead_days": [15, 20], "mold": ["", "M-7"]}


def test_admin_switches_off_the_first_article_of_a_product(client, auth):
    product = _new("products", model="PX-2", name="Spacer")
    auth.login("admin")
    assert 'name="needs_first_article" value="1" checked' in client.get(f"/admin/products/{product.id}").text
    form = {"model": "PX-2", "name": "Spacer", "std_lead_days": "15", "first_article_qty": "3"}
    assert client.post(f"/admin/products/{product.id}", data=form).status_code == 302
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "product_update")).scalar_one()
    assert row.changes == {"needs_first_article": [True, False], "first_article_qty": [5, 3]}


def test_unticking_blocked_unblocks_the_customer(client, auth):
    customer = _new("customers", code="C001", name="A", blocked=True)
    auth.login("admin")
    client.post(f"/admin/customers/{customer.id}", data={"code": "C001", "name": "A"})
    assert _customer("C001").blocked is False


def test_team_form_offers_only_users_holding_the_leader_role(client, auth):
    _new("workshops", code="W1", name="Moulding")
    make_user("lina", ["leader"])
    make_user("sam", ["sales"])
    auth.login("admin")
    html = client.get("/admin/teams/new").text
    assert ">lina</option>" in html and ">sam</option>" not in html


def test_team_saved_with_its_leader(client, auth):
    workshop = _new("workshops", code="W1", name="Moulding")
    leader = make_user("lina", ["leader"])
    auth.login("admin")
    form = {"code": "T1", "name": "Day", "workshop_id": str(workshop.id), "leader_id": str(leader.id)}
    client.post("/admin/teams/new", data=form)
    team = db.session.execute(db.select(Team)).scalar_one()
    assert (team.workshop_id, team.leader_id) == (workshop.id, leader.id)


# ---- deactivate, reactivate ----


def test_deactivated_customer_leaves_the_list_until_deactivated_are_shown(client, auth):
    customer = _new("customers", code="C001", name="A")
    auth.login("admin")
    assert client.post(f"/admin/customers/{customer.id}/deactivate").status_code == 302
    assert _listed(client.get("/admin/customers/").text) == []
    assert _listed(client.get("/admin/customers/?inactive=1").text) == ["C001 · A"]


def test_reactivated_customer_is_back_and_both_steps_audited(client, auth):
    customer = _new("customers", code="C001", name="A")
    auth.login("admin")
    client.post(f"/admin/customers/{customer.id}/deactivate")
    client.post(f"/admin/customers/{customer.id}/reactivate")
    assert _customer("C001").active is True
    actions = db.session.execute(db.select(AuditLog.action).where(AuditLog.entity == "customer")).scalars()
    assert [a for a in actions if a.endswith("activate")] == ["customer_deactivate", "customer_reactivate"]


def test_refused_reactivation_is_explained(client, auth):
    workshop = _new("workshops", code="W1", name="Moulding")
    team = _new("teams", code="T1", name="Day", workshop_id=workshop.id)
    service.set_active("teams", team.id, False, None)
    service.set_active("workshops", workshop.id, False, None)
    auth.login("admin")
    response = client.post(f"/admin/teams/{team.id}/reactivate", follow_redirects=True)
    assert "flash-error" in response.text and 'data-testid="deactivated"' in response.text


# ---- lists ----


def test_search_narrows_the_list(client, auth):
    _new("customers", code="C001", name="Acme Plastics")
    _new("customers", code="C002", name="Bolt Works")
    auth.login("admin")
    assert _listed(client.get("/admin/customers/?q=bolt").text) == ["C002 · Bolt Works"]


def test_list_sorts_by_name_descending(client, auth):
    _new("workshops", code="W1", name="Assembly")
    _new("workshops", code="W2", name="Moulding")
    auth.login("admin")
    assert _listed(client.get("/admin/workshops/?sort=-name").text) == ["W2 · Moulding", "W1 · Assembly"]


def test_list_pages_keep_the_search(client, auth):
    for n in range(30):
        _new("skus", code=f"R-{n:02d}", name=f"Resin {n}")
    auth.login("admin")
    first = client.get("/admin/skus/?q=resin").text
    assert len(_listed(first)) == 25 and 'href="/admin/skus/?q=resin&amp;page=2"' in first
    assert _listed(client.get("/admin/skus/?q=resin&page=2").text) == [
        f"R-{n} · Resin {n}" for n in range(25, 30)
    ]


def test_price_list_shows_customer_and_product(client, auth):
    customer, product = _new("customers", code="C001", name="A"), _new("products", model="PX-1", name="Box")
    _new("prices", customer_id=customer.id, product_id=product.id, unit_price="3.5", unit_cost="2")
    auth.login("admin")
    assert _listed(client.get("/admin/prices/").text) == ["C001 × PX-1"]


# ---- who may ----


@pytest.mark.parametrize("role", ["sales", "warehouse", "leader"])
def test_other_roles_cannot_open_the_lists(client, auth, role):
    auth.login(role)
    assert client.get("/admin/customers/").status_code == 403


def test_other_roles_cannot_post_a_form(client, auth):
    auth.login("planner")
    assert client.post("/admin/workshops/new", data={"code": "W1", "name": "A"}).status_code == 403
    assert db.session.execute(db.select(AuditLog).where(AuditLog.action == "workshop_create")).first() is None


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/customers/")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_form_without_csrf_token_is_refused(client):
    make_user("admin", ["admin"])
    login_page = client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"username": "admin", "password": "demo", "csrf_token": token})
    assert client.post("/admin/workshops/new", data={"code": "W1", "name": "A"}).status_code == 400
    form = client.get("/admin/workshops/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert (
        client.post("/admin/workshops/new", data={"code": "W1", "name": "A", "csrf_token": token}).status_code
        == 302
    )


def test_unknown_row_is_not_found(client, auth):
    auth.login("admin")
    assert client.get("/admin/customers/999").status_code == 404


def test_a_teams_robot_key_is_saved_never_shown_and_audited_without_its_value(client, auth):
    workshop = _new("workshops", code="W1", name="Moulding")
    team = _new("teams", code="T1", name="Day", workshop_id=workshop.id)
    auth.login("admin")
    form = {"code": "T1", "name": "Day", "workshop_id": str(workshop.id), "wecom_robot_key": "k-693a"}
    assert client.post(f"/admin/teams/{team.id}", data=form).status_code == 302
    db.session.refresh(team)
    assert team.wecom_robot_key == "k-693a"
    page = client.get(f"/admin/teams/{team.id}").text
    assert "k-693a" not in page and 'type="password" name="wecom_robot_key"' in page
    assert (
        client.post(
            f"/admin/teams/{team.id}", data={**form, "wecom_robot_key": "", "name": "Night"}
        ).status_code
        == 302
    )
    db.session.refresh(team)
    assert (team.name, team.wecom_robot_key) == ("Night", "k-693a")  # empty keeps the saved key
    audits = db.session.execute(db.select(AuditLog.changes).where(AuditLog.entity == "team")).scalars().all()
    assert "k-693a" not in str(audits) and "***" in str(audits)
