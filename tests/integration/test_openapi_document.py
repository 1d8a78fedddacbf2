"""/api/v1/openapi.json as standard tools read it: it validates (openapi-spec-validator), and every
error status an operation documents carries DESIGN §12's body, so a generated client types refusals."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # the document is the same on both
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorEnvelope"}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


def resolved(document: dict, response: dict) -> dict:
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_served_document_validates_as_openapi(document):
    validate(document)


def test_every_documented_error_carries_the_error_body(document):
    bare = [
        f"{method.upper()} {path} {status}"
        for path, method, operation in operations(document)
        for status, response in operation["responses"].items()
        if (status == "default" or status[0] in "45")
        and resolved(document, response).get("content", {}).get("application/json", {}).get("schema")
        != ERROR_SCHEMA
    ]
    assert bare == []


def test_every_operation_documents_the_statuses_it_can_answer(document):
    missing = []
    for path, method, operation in operations(document):
        expected = {"503"}
        if path != "/api/v1/auth/token":
            expected |= {"401"}
        if "{" in path:
            expected |= {"404"}
        if method != "get" or operation.get("parameters") or "{" in path:
            expected |= {"422"}
        if "requestBody" in operation:
            expected |= {"400"}
        if gap := expected - set(operation["responses"]):
            missing.append(f"{method.upper()} {path}: {sorted(gap)}")
    assert missing == []


def test_role_restricted_operations_document_403_and_the_token_call_429(document):
    paths = document["paths"]
    assert "403" in paths["/api/v1/stock/moves"]["post"]["responses"]
    assert "403" in paths["/api/v1/customers"]["post"]["responses"]
    assert "429" in paths["/api/v1/auth/token"]["post"]["responses"]


def test_number_defaults_are_numbers(document):
    schemas = document["components"]["schemas"]
    strings = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, spec in schema.get("properties", {}).items()
        if spec.get("type") in ("number", "integer") and isinstance(spec.get("default"), str)
    ]
    assert strings == []
    assert schemas["ReportIn"]["properties"]["good"]["default"] == 0
