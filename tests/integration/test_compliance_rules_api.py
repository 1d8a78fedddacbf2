"""Compliance rules as data (DESIGN §3.1): the 8 defaults seeded once, switched off, reworded in zh/en,
and admin-added "field is required" rules that submissions then enforce."""

import pytest

from domain.orders.compliance_rules import ComplianceRule, ensure_default_rules
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


@pytest.fixture
def quote(app):
    owner = make_user("sales", ["sales"])
    cust, prod = data.customer("C001"), data.product("P-100")
    data.price(cust, prod, unit_price="10")  # the order's price: rule 8 passes
    return data.order_in_stage(cust, prod, "quote", number="SO-R-1", created_by_id=owner.id)


def rule_id(code: str) -> int:
    return db.session.execute(db.select(ComplianceRule.id).where(ComplianceRule.code == code)).scalar_one()


def failed(client, headers, order_id) -> list[str]:
    response = client.post(f"/api/v1/orders/{order_id}/submit", headers=headers)
    return [r["code"] for r in response.json["error"]["rules"]] if response.status_code == 422 else []


def test_default_rules_are_seeded_once_however_often_asked(app):
    assert ensure_default_rules() == 8
    assert ensure_default_rules() == 0
    assert db.session.execute(db.select(db.func.count(ComplianceRule.id))).scalar_one() == 8


def test_admin_edit_of_a_default_rule_survives_reseeding(client, auth):
    ensure_default_rules()
    client.patch(
        f"/api/v1/compliance-rules/{rule_id('packaging')}",
        json={"message_en": "Say how it is packed."},
        headers=auth.headers("admin"),
    )
    ensure_default_rules()
    assert db.session.get(ComplianceRule, rule_id("packaging")).message_en == "Say how it is packed."


def test_switched_off_rule_no_longer_blocks_submission(client, auth, quote):
    ensure_default_rules()
    sales = auth.headers("sales")
    assert "sample_drawing" in failed(client, sales, quote.id)
    response = client.patch(
        f"/api/v1/compliance-rules/{rule_id('sample_drawing')}",
        json={"active": False},
        headers=auth.headers("admin"),
    )
    assert response.status_code == 200
    assert response.json["active"] is False
    assert failed(client, sales, quote.id) == []


def test_edited_messages_reach_the_user_in_their_language(client, auth, quote):
    ensure_default_rules()
    client.patch(
        f"/api/v1/compliance-rules/{rule_id('sample_drawing')}",
        json={
            "message_zh": "请上传客户签字确认的样图（PDF）。",
            "message_en": "Upload the signed drawing (PDF).",
        },
        headers=auth.headers("admin"),
    )
    sales = auth.headers("sales")
    zh = client.post(f"/api/v1/orders/{quote.id}/submit", headers={**sales, "Accept-Language": "zh-CN"})
    en = client.post(f"/api/v1/orders/{quote.id}/submit", headers={**sales, "Accept-Language": "en"})
    assert zh.json["error"]["rules"][0]["message"] == "请上传客户签字确认的样图（PDF）。"
    assert en.json["error"]["rules"][0]["message"] == "Upload the signed drawing (PDF)."


def test_admin_added_required_field_rule_is_enforced_on_submission(client, auth, quote):
    response = client.post(
        "/api/v1/compliance-rules",
        json={
            "field": "original_ref",
            "message_en": "Give the customer's PO number.",
            "message_zh": "请填写客户订单号。",
        },
        headers=auth.headers("admin"),
    )
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "required"
    assert failed(client, auth.headers("sales"), quote.id)[-1] == "required_original_ref"


def test_only_requirable_fields_can_be_required(client, auth):
    response = client.post(
        "/api/v1/compliance-rules",
        json={"field": "password_hash", "message_en": "x", "message_zh": "x"},
        headers=auth.headers("admin"),
    )
    assert response.status_code == 422
    assert "field" in response.json["error"]["fields"]


def test_sales_cannot_change_rules(client, auth):
    ensure_default_rules()
    response = client.patch(
        f"/api/v1/compliance-rules/{rule_id('quantity')}",
        json={"active": False},
        headers=auth.headers("sales"),
    )
    assert response.status_code == 403
