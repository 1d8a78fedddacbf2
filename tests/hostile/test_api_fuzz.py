"""Schemathesis over /api/v1/openapi.json with a bearer token of a user holding every role: random and
edge-case bodies, queries and path values for every operation find no server error (5xx), no status
the operation does not document (its `default` response set aside) and no response whose body or
content type breaks the documented schema. Bounded: OH_FUZZ_EXAMPLES examples per operation
(default 8), so the whole API takes a few minutes; the counts are printed."""

import os
import time
from collections import Counter

import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from domain.roles import ROLE_LABELS
from tests.conftest import make_user

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("OH_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def without_default_responses(spec: dict) -> dict:
    """A `default` response would make every status "documented"; without it, the check holds each
    operation to the statuses it lists."""
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method != "parameters":
                operation["responses"].pop("default", None)
    return spec


@pytest.mark.config(REQUEST_LOG="off")
def test_no_server_error_and_no_undocumented_body_anywhere_in_the_api(app, client):
    make_user("fuzz", list(ROLE_LABELS))
    token = client.post("/api/v1/auth/token", json={"username": "fuzz", "password": "demo"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_dict(
        without_default_responses(client.get("/api/v1/openapi.json").json)
    )
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter[int] = Counter()
    failures: dict[str, str] = {}
    started = time.monotonic()

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples on every CI run: a red build is reproducible
            phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def probe(case) -> None:
            if case.operation.path == "/api/v1/auth/token":
                return  # would sign the fuzz user in and out of the rate limit; covered by test_auth
            for key in ("_login_user", "_flask_babel"):  # the fixture's app context outlives a request
                g.pop(key, None)
            response = case.call(headers={**headers, "Idempotency-Key": os.urandom(8).hex()})
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            probe()
        except (Exception, BaseExceptionGroup) as error:
            failures[operation.label] = str(error)[:800]

    elapsed = time.monotonic() - started
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(
        f"\nschemathesis ({database}): {len(operations)} operations, "
        f"{sum(statuses.values())} requests in {elapsed:.0f} s, statuses {dict(sorted(statuses.items()))}, "
        f"{len(failures)} operations failing"
    )
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
