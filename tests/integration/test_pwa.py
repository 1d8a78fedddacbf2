"""The installable shell: manifest, icons, the service worker's script and version, the offline page."""

import io
import json
import re
import shutil

from PIL import Image

from blueprints.pwa import PWA_DIR, current_build, shell_build

REQUIRED_MEMBERS = {"name", "short_name", "start_url", "scope", "display", "icons", "theme_color"}


def manifest(client) -> dict:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    return json.loads(response.get_data(as_text=True))


def service_worker(client) -> tuple[dict, str]:
    """The build the server prepends (`self.SHELL = {...};`) and the script's full text."""
    text = client.get("/sw.js").get_data(as_text=True)
    first_line = text.split("\n", 1)[0]
    match = re.fullmatch(r"self\.SHELL = (\{.*\});", first_line)
    assert match, first_line
    return json.loads(match.group(1)), text


def test_manifest_has_the_members_a_browser_needs_to_install_the_app(client):
    client.post("/language/zh_CN", headers={"Referer": "http://localhost/login"})
    body = manifest(client)
    assert body.keys() >= REQUIRED_MEMBERS
    assert body["display"] == "standalone"
    assert body["start_url"] == "/"
    assert body["scope"] == "/"
    assert body["lang"] == "zh-CN"
    assert re.fullmatch(r"#[0-9a-f]{6}", body["background_color"])


def test_manifest_speaks_the_language_of_the_session(client):
    client.post("/language/en", headers={"Referer": "http://localhost/login"})
    assert manifest(client)["lang"] == "en"


def test_manifest_offers_192_and_512_icons_for_any_and_maskable_use(client):
    icons = {(icon["sizes"], icon["purpose"]) for icon in manifest(client)["icons"]}
    assert icons == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}


def test_every_manifest_icon_loads_as_a_png_of_its_declared_size(client):
    for icon in manifest(client)["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG"
        assert f"{image.width}x{image.height}" == icon["sizes"]


def test_maskable_icons_fill_the_whole_square(client):
    """A launcher crops maskable icons to its own shape; a transparent corner would show as a hole."""
    for icon in manifest(client)["icons"]:
        if icon["purpose"] == "maskable":
            image = Image.open(io.BytesIO(client.get(icon["src"]).data)).convert("RGBA")
            assert image.getpixel((0, 0))[3] == 255


def test_service_worker_is_served_from_the_root_and_never_from_a_stale_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"


def test_service_worker_carries_the_shell_version(client, app):
    shell, _text = service_worker(client)
    assert shell["version"] == current_build(app).version
    assert re.fullmatch(r"[0-9a-f]{16}", shell["version"])


def test_unchanged_service_worker_answers_not_modified(client):
    etag = client.get("/sw.js").headers["ETag"]
    assert client.get("/sw.js", headers={"If-None-Match": etag}).status_code == 304


def test_service_worker_precaches_the_shell_assets_and_the_offline_page(client):
    shell, _text = service_worker(client)
    paths = [url.split("?")[0] for url in shell["precache"]]
    for wanted in (
        "/pwa/css/app.css",
        "/pwa/js/app.js",
        "/pwa/js/api.js",
        "/pwa/icons/icon-192.png",
        "/offline",
    ):
        assert wanted in paths
    assert "/pwa/sw.js" not in paths
    for url in shell["precache"]:
        assert client.get(url).status_code == 200, url


def test_shell_version_changes_when_an_asset_changes(tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(PWA_DIR, copy)
    before = shell_build(copy).version
    (copy / "css" / "app.css").write_text("body { color: red }")
    assert shell_build(copy).version != before


def test_shell_version_changes_when_an_asset_is_added(tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(PWA_DIR, copy)
    before = shell_build(copy)
    (copy / "js" / "scanner.js").write_text("export {};")
    after = shell_build(copy)
    assert after.version != before.version
    assert "js/scanner.js" in after.assets


def test_shell_version_is_stable_while_nothing_changes(tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(PWA_DIR, copy)
    assert shell_build(copy) == shell_build(PWA_DIR)


def test_pages_link_shell_assets_stamped_with_the_version(client, app):
    page = client.get("/login").get_data(as_text=True)
    version = current_build(app).version
    assert f'href="/pwa/css/app.css?v={version}"' in page
    assert f'src="/pwa/js/app.js?v={version}"' in page
    assert 'rel="manifest" href="/manifest.webmanifest"' in page


def test_offline_page_is_public_and_keeps_the_shell(client):
    page = client.get("/offline")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="topbar"' in html
    assert 'data-testid="offline-banner"' in html
    assert 'data-testid="offline-page"' in html


def test_offline_page_never_sets_the_session_cookie(client, auth):
    """The worker fetches it in the background with the cookie of a moment ago; a cookie in its
    answer would undo a sign-in or a CSRF token that reached the phone meanwhile."""
    assert "Set-Cookie" not in client.get("/offline").headers  # no session yet: none is started
    auth.login("sales")
    assert "Set-Cookie" not in client.get("/offline").headers
    assert "Set-Cookie" in client.post("/language/en", headers={"Referer": "http://localhost/"}).headers


def test_pages_after_sign_in_never_rewrite_the_session_cookie(client, auth):
    """Sign-in makes the whole session, form token included; a page rendered afterwards (the home page
    and the worker's background fetches, in parallel) has nothing to add, so none overwrites another."""
    client.get("/login")
    assert "Set-Cookie" in auth.login("warehouse").headers
    for path in ("/", "/scan", "/offline", "/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path


def test_language_switch_returns_to_the_page_it_was_pressed_on(client, auth):
    auth.login("sales")
    response = client.post("/language/en", headers={"Referer": "http://localhost/?tab=due"})
    assert response.status_code == 302
    assert response.location == "/?tab=due"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
