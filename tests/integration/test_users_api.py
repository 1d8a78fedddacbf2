"""User administration through /api/v1/users: create, roles, password, deactivation, no self-lockout."""

import pytest

from domain.audit import AuditLog
from domain.masterdata import Team, Workshop
from domain.users import find_user
from extensions import db
from tests.conftest import make_user


@pytest.fixture
def admin(auth):
    return auth.headers("admin")


def create(client, admin, **fields) -> dict:
    body = {
        "username": "wang",
        "display_name": "王工",
        "roles": ["leader", "qc"],
        "password": "s3cret-pw",
        **fields,
    }
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 201, response.json
    return response.json


def token_for(client, username, password="demo") -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_created_user_has_several_roles_and_can_sign_in(client, admin):
    created = create(client, admin)
    assert created["roles"] == ["leader", "qc"]
    assert "password" not in created
    assert client.post("/login", data={"username": "wang", "password": "s3cret-pw"}).status_code == 302


def test_user_can_be_put_in_a_team(client, admin):
    team = Team(code="T1", name="早班", workshop=Workshop(code="INJ", name="注塑"))
    db.session.add(team)
    db.session.commit()
    assert create(client, admin, team_id=team.id)["team_id"] == team.id


def test_short_password_and_unknown_role_are_refused_naming_fields(client, admin):
    body = {"username": "li", "roles": ["king"], "password": "short"}
    response = client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 422
    assert "roles.0" in response.json["error"]["fields"]
    response = client.post("/api/v1/users", json={**body, "roles": ["qc"]}, headers=admin)
    assert response.json["error"]["fields"].keys() == {"password"}


def test_taken_username_is_refused_whatever_the_case(client, admin):
    create(client, admin)
    response = client.post(
        "/api/v1/users", json={"username": "WANG", "roles": ["qc"], "password": "long-enough"}, headers=admin
    )
    assert response.json["error"]["fields"].keys() == {"username"}


def test_roles_can_be_changed_and_are_audited(client, admin):
    user = create(client, admin)
    response = client.patch(f"/api/v1/users/{user['id']}", json={"roles": ["sales"]}, headers=admin)
    assert response.json["roles"] == ["sales"]
    row = db.session.execute(db.select(AuditLog).where(AuditLog.action == "user_edit")).scalar_one()
    assert row.changes == {"roles": [["leader", "qc"], ["sales"]]}
    assert row.user_id == find_user("admin").id


def test_deactivated_user_cannot_sign_in_and_their_token_stops_working(client, admin):
    make_user("li", ["sales"])
    their_token = token_for(client, "li")
    assert client.get("/api/v1/auth/me", headers=their_token).status_code == 200
    response = client.post(f"/api/v1/users/{find_user('li').id}/deactivate", headers=admin)
    assert response.json["active"] is False
    assert client.get("/api/v1/auth/me", headers=their_token).status_code == 401
    assert client.post("/login", data={"username": "li", "password": "demo"}).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "li", "password": "demo"}).status_code == 401


def test_deactivated_users_open_session_ends(client, admin):
    make_user("li", ["sales"])
    other = client.application.test_client()
    other.post("/login", data={"username": "li", "password": "demo"})
    assert other.get("/").status_code == 200
    client.post(f"/api/v1/users/{find_user('li').id}/deactivate", headers=admin)
    assert other.get("/").status_code == 302


def test_reactivated_user_signs_in_again_but_old_tokens_stay_dead(client, admin):
    make_user("li", ["sales"])
    old_token = token_for(client, "li")
    user_id = find_user("li").id
    client.post(f"/api/v1/users/{user_id}/deactivate", headers=admin)
    assert client.post(f"/api/v1/users/{user_id}/reactivate", headers=admin).json["active"] is True
    assert client.get("/api/v1/auth/me", headers=old_token).status_code == 401
    assert client.get("/api/v1/auth/me", headers=token_for(client, "li")).status_code == 200


def test_admin_cannot_deactivate_themselves(client, admin):
    response = client.post(f"/api/v1/users/{find_user('admin').id}/deactivate", headers=admin)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "cannot_deactivate_self"
    assert find_user("admin").active is True


def test_admin_cannot_remove_their_own_admin_role(client, admin):
    response = client.patch(
        f"/api/v1/users/{find_user('admin').id}", json={"roles": ["sales"]}, headers=admin
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "cannot_remove_own_admin"
    assert find_user("admin").roles == {"admin"}


def test_password_reset_needs_8_characters_and_revokes_tokens(client, admin):
    make_user("li", ["sales"])
    old_token = token_for(client, "li")
    url = f"/api/v1/users/{find_user('li').id}/password"
    assert client.post(url, json={"password": "short"}, headers=admin).json["error"]["fields"].keys() == {
        "password"
    }
    assert client.post(url, json={"password": "new-password"}, headers=admin).status_code == 204
    assert client.get("/api/v1/auth/me", headers=old_token).status_code == 401
    token_for(client, "li", "new-password")


def test_demo_user_password_may_stay_short(client, admin):
    make_user("qc", ["qc"], is_demo=True)
    response = client.post(
        f"/api/v1/users/{find_user('qc').id}/password", json={"password": "demo"}, headers=admin
    )
    assert response.status_code == 204


def test_user_list_filters_by_active(client, admin):
    make_user("li", ["sales"], active=False)
    response = client.get("/api/v1/users?active=false", headers=admin)
    assert [u["username"] for u in response.json["items"]] == ["li"]


def test_only_admin_lists_users(client, admin, auth):
    assert client.get("/api/v1/users", headers=admin).status_code == 200
    assert client.get("/api/v1/users", headers=auth.headers("vp")).status_code == 403
