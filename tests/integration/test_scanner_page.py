"""The scanner page (/scan): who gets the stock-move screen, who the scan-to-open one, and what the page
hands its script (texts, the ?loc= preset, the lazily loaded decoder)."""

import json
import re

from blueprints.pwa import current_build


def scanner_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="scanner-config">(.*?)</script>', html, re.S)
    assert match, "the page carries its settings as a JSON block, not as inline code"
    return json.loads(match.group(1))


def test_warehouse_worker_gets_the_move_screen_with_confirm_and_outbox(client, auth):
    auth.login("warehouse")
    response = client.get("/scan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-mode="move"' in html
    assert 'data-testid="confirm-move"' in html
    assert 'data-testid="outbox"' in html
    assert scanner_config(html)["canMove"] is True


def test_team_leader_and_service_technician_scan_to_open_without_moving_stock(client, auth):
    for role in ("leader", "service"):
        auth.login(role)
        html = client.get("/scan").get_data(as_text=True)
        assert 'data-mode="open"' in html
        assert 'data-testid="confirm-move"' not in html
        assert scanner_config(html)["canMove"] is False
        auth.logout()


def test_roles_without_a_scanning_task_are_refused(client, auth):
    auth.login("sales")
    assert client.get("/scan").status_code == 403


def test_scan_is_in_the_bottom_menu_of_warehouse_workers_only(client, auth):
    auth.login("warehouse")
    assert 'href="/scan"' in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("sales")
    assert 'href="/scan"' not in client.get("/").get_data(as_text=True)


def test_location_preset_from_a_landing_page_reaches_the_script_escaped(client, auth):
    auth.login("warehouse")
    label = "https://oh.example.cn/s/loc/42.kX3v9QbL0aZ</script><b>"
    html = client.get("/scan", query_string={"loc": label}).get_data(as_text=True)
    assert "</script><b>" not in html
    assert scanner_config(html)["presetLocation"] == label


def test_decoder_and_wasm_are_local_versioned_files_that_the_worker_does_not_precache(client, auth, app):
    auth.login("warehouse")
    config = scanner_config(client.get("/scan").get_data(as_text=True))
    version = current_build(app).version
    for url in (config["decoder"], config["wasm"]):
        assert url.startswith("/pwa/vendor/") and url.endswith(f"?v={version}")
        assert client.get(url).status_code == 200
    assert not any(name.startswith("vendor/") for name in current_build(app).assets)
    assert "js/scanner.js" in current_build(app).assets
    assert "js/outbox.js" in current_build(app).assets


def test_texts_for_the_script_are_in_the_users_language(client, auth):
    auth.login("warehouse")
    client.post("/language/en", headers={"Referer": "http://localhost/scan"})
    texts = scanner_config(client.get("/scan").get_data(as_text=True))["texts"]
    assert texts["locationNeeded"] == "Scan the location label on the rack first."
    assert all(isinstance(text, str) and text for text in texts.values())
