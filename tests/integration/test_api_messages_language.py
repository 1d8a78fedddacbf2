"""Every refusal of every API schema reads in the caller's language: invalid values posted to every
operation of the OpenAPI document in Chinese find no message in English (ASCII only)."""

from collections.abc import Iterator
from typing import Any

from domain.roles import ALL_ROLES
from tests.conftest import make_user
from tests.integration.invalid_inputs import invalid_requests

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def refusals(client) -> Iterator[tuple[str, str, int, dict]]:
    """(method, path, status, error body) of every invalid request, sent by a user holding every role."""
    make_user("everyone", list(ALL_ROLES))
    token = client.post("/api/v1/auth/token", json={"username": "everyone", "password": "demo"}).json["token"]
    headers = {**CHINESE, "Authorization": f"Bearer {token}"}
    document = client.get("/api/v1/openapi.json").json
    for i, (method, path, request) in enumerate(invalid_requests(document)):
        response = client.open(
            path, method=method.upper(), headers={**headers, "Idempotency-Key": f"invalid-{i}"}, **request
        )
        body = response.get_json(silent=True)
        if isinstance(body, dict) and "error" in body:
            yield method, path, response.status_code, body["error"]


def test_no_api_schema_answers_invalid_values_in_english_to_a_chinese_caller(client):
    english, validated = [], set()
    for method, path, status, error in refusals(client):
        if status == 422 and error["fields"]:
            validated.add((method, path))
        shown = [error["message"], *texts(error["fields"])]
        english += [(method, path, text) for text in shown if text.isascii()]
    assert len(validated) > 80  # the walk reached the schemas, not only the access rule
    assert english == []


def test_a_range_refusal_names_its_bounds_in_chinese(client, auth):
    headers = {**CHINESE, **auth.headers("planner")}
    response = client.put("/api/v1/gantt/settings", json={"mold_minutes": 5000}, headers=headers)
    assert response.json["error"]["fields"]["mold_minutes"] == "必须在 0 到 1440 之间。"


def test_a_choice_refusal_lists_the_choices_in_chinese(client, auth):
    response = client.get(
        "/api/v1/orders", query_string={"priority": "D"}, headers={**CHINESE, **auth.headers("sales")}
    )
    assert response.json["error"]["fields"]["priority"] == "必须是以下之一：A, B, C。"


def test_a_huge_quantity_is_refused_as_too_large_not_as_too_precise(client, auth):
    response = client.post(
        "/api/v1/task-cards/1/report",
        json={"good": 1e12, "scrap": 0},
        headers={**CHINESE, **auth.headers("leader"), "Idempotency-Key": "big"},
    )
    assert "小数" not in str(response.json) and "100,000,000,000" in response.json["error"]["fields"]["good"]
