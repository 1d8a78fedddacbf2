"""User admin pages: create with several roles, edit, reset password, deactivate, no self-lockout."""

import pytest

from domain.audit import AuditLog
from domain.users import find_user
from extensions import db
from tests.conftest import make_user


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    return find_user("admin")


def test_admin_creates_a_user_with_several_roles(client, admin):
    form = {"username": "wang", "display_name": "王工", "roles": ["leader", "qc"], "password": "long-enough"}
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 302
    assert find_user("wang").roles == {"leader", "qc"}
    assert db.session.execute(db.select(AuditLog).where(AuditLog.action == "user_create")).scalar_one()


def test_short_password_is_shown_under_the_field(client, admin):
    response = client.post(
        "/admin/users/new", data={"username": "wang", "roles": ["qc"], "password": "short"}
    )
    assert response.status_code == 422
    assert "At least 8 characters." in response.get_data(as_text=True)
    assert find_user("wang") is None


def test_roles_are_edited_from_checkboxes(client, admin):
    user = make_user("li", ["sales"])
    response = client.post(f"/admin/users/{user.id}", data={"display_name": "李", "roles": ["sales", "cs"]})
    assert response.status_code == 302
    assert find_user("li").roles == {"sales", "cs"}


def test_admin_cannot_untick_their_own_admin_role(client, admin):
    response = client.post(f"/admin/users/{admin.id}", data={"display_name": "boss", "roles": ["sales"]})
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    assert find_user("admin").roles == {"admin"}


def test_admin_cannot_deactivate_themselves_from_the_page(client, admin):
    client.post(f"/admin/users/{admin.id}/deactivate")
    assert find_user("admin").active is True
    assert client.get("/admin/users/").status_code == 200


def test_deactivated_user_cannot_sign_in(client, admin):
    user = make_user("li", ["sales"])
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"username": "li", "password": "demo"}).status_code == 401


def test_reactivated_user_can_sign_in_again(client, admin):
    user = make_user("li", ["sales"], active=False)
    client.post(f"/admin/users/{user.id}/reactivate")
    client.post("/logout")
    assert client.post("/login", data={"username": "li", "password": "demo"}).status_code == 302


def test_password_reset_from_the_page_lets_the_user_sign_in_with_it(client, admin):
    user = make_user("li", ["sales"])
    assert (
        client.post(f"/admin/users/{user.id}/password", data={"password": "brand-new-pw"}).status_code == 302
    )
    client.post("/logout")
    assert client.post("/login", data={"username": "li", "password": "brand-new-pw"}).status_code == 302


def test_list_hides_deactivated_users_until_asked(client, admin):
    make_user("li", ["sales"], active=False)
    assert 'data-user="li"' not in client.get("/admin/users/").get_data(as_text=True)
    page = client.get("/admin/users/?inactive=1").get_data(as_text=True)
    assert 'data-user="li"' in page
    assert "Deactivated" in page


def test_list_searches_username_and_display_name(client, admin):
    make_user("li", ["sales"], display_name="李明")
    make_user("wang", ["qc"])
    page = client.get("/admin/users/?q=李").get_data(as_text=True)
    assert 'data-user="li"' in page
    assert 'data-user="wang"' not in page


def test_user_pages_are_for_admins_only(client, auth):
    auth.login("vp")
    assert client.get("/admin/users/").status_code == 403
    assert client.post("/admin/users/new", data={"username": "x"}).status_code == 403


def test_the_wecom_userid_is_set_on_the_profile_and_a_malformed_one_named(client, admin):
    user = make_user("zhang", ["leader"])
    bad = client.post(f"/admin/users/{user.id}", data={"roles": ["leader"], "wecom_userid": "张 三"})
    assert bad.status_code == 422 and "as in WeCom" in bad.get_data(as_text=True)
    ok = client.post(f"/admin/users/{user.id}", data={"roles": ["leader"], "wecom_userid": "ZhangSan"})
    assert ok.status_code == 302
    db.session.refresh(user)
    assert user.wecom_userid == "ZhangSan"
