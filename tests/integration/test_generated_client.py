"""An integrator's view: a client generated from the served /api/v1/openapi.json by
openapi-python-client, used as generated. It signs in, makes a receipt, reads a refusal as a typed
error (error.code outside_geofence) and pulls the whole ledger of more than 2,000 moves, each once."""

import importlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from flask import g

from app import create_app
from tests.conftest import TEST_CONFIG, make_user
from tests.integration.stock_world import SKU, YARD_A, build_world, gps, label
from tests.integration.test_ledger_feed import post_moves

pytestmark = pytest.mark.slow
PACKAGE = "oh_generated_client"
CONFIG = {
    "project_name_override": PACKAGE,
    "package_name_override": PACKAGE,
    "post_hooks": [],  # the generated code as generated, not reformatted
    # Spreadsheets are binary downloads; the generator knows them as octet streams.
    "content_type_overrides": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "application/octet-stream"
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Iterator[ModuleType]:
    """The client package, generated once from the document a fresh app serves."""
    folder = tmp_path_factory.mktemp("client")
    spec_app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "REQUEST_LOG": "off"})
    (folder / "openapi.json").write_text(json.dumps(spec_app.test_client().get("/api/v1/openapi.json").json))
    (folder / "config.json").write_text(json.dumps(CONFIG))
    command = Path(sys.executable).with_name("openapi-python-client")
    options = {
        "--path": "openapi.json",
        "--config": "config.json",
        "--meta": "none",
        "--output-path": PACKAGE,
    }
    done = subprocess.run(
        [command, "generate", *(item for pair in options.items() for item in pair)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stdout, done.stdout  # every operation and response was understood
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def part(package: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.{name}")


def wsgi_transport(app) -> httpx.WSGITransport:
    """Requests straight into the app. The test's app context outlives a request, so forget the last
    request's user and language first, as a real server's fresh context would."""

    def fresh(environ, start_response):
        for key in ("_login_user", "_flask_babel", "csrf_token"):
            g.pop(key, None)
        return app.wsgi_app(environ, start_response)

    return httpx.WSGITransport(app=fresh)


def test_generated_client_moves_stock_reads_refusals_and_pulls_the_whole_ledger(app, generated):
    world = build_world()
    made = post_moves(world, 2_100, per_transaction=300)
    make_user("integration", ["warehouse"])
    transport = wsgi_transport(app)
    base = "http://oh.test"
    models = part(generated, "models")

    anonymous = generated.Client(base_url=base).set_httpx_client(
        httpx.Client(base_url=base, transport=transport)
    )
    issue_token = part(generated, "api.api_auth.post_api_v1_auth_token")
    token = issue_token.sync(
        client=anonymous, body=models.Credentials(username="integration", password="demo")
    )
    assert isinstance(token, models.TokenOut), token

    client = generated.AuthenticatedClient(base_url=base, token=token.token).set_httpx_client(
        httpx.Client(base_url=base, transport=transport, headers={"Authorization": f"Bearer {token.token}"})
    )
    post_move = part(generated, "api.api_stock.post_api_v1_stock_moves")

    def receipt(fix: dict):
        body = models.MoveIn(
            kind=models.MoveInKind.RECEIPT,
            sku=SKU,
            qty=5,
            location_label=label(world.loc_a),
            gps=models.GpsIn(lat=fix["lat"], lon=fix["lon"], accuracy=fix["accuracy"]),
        )
        return post_move.sync(client=client, body=body, idempotency_key=uuid.uuid4().hex)

    moved = receipt(gps(YARD_A))
    assert isinstance(moved, models.MoveOut), moved
    assert moved.on_hand == "2105.000"

    refused = receipt(gps(YARD_A, east_m=900))
    assert isinstance(refused, models.ErrorEnvelope)
    assert refused.error.code == "outside_geofence"
    assert refused.error.message

    read_ledger = part(generated, "api.api_stock.get_api_v1_stock_moves")
    seen, cursor, pages = [], None, 0
    while True:
        page = read_ledger.sync(client=client, limit=500, **({"cursor": cursor} if cursor else {}))
        assert isinstance(page, models.LedgerCursorPage), page
        seen += [move.id for move in page.items]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 2_101
    assert seen == [*made, moved.id]
    assert pages == 5
