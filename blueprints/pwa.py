"""The installable shell: the web app manifest, the service worker (served from the site root so its
scope covers every page, stamped with the shell's version) and the offline fallback page."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, current_app, g, has_request_context, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import public
from blueprints.session_cookie import session_read_only
from domain import roles

bp = Blueprint("pwa", __name__)
ROOT = Path(__file__).resolve().parent.parent
PWA_DIR = ROOT / "pwa"
# Templates baked into the precached offline page: a change to them is a change to the shell.
SHELL_TEMPLATES = (ROOT / "templates" / "base.html", ROOT / "templates" / "pwa" / "offline.html")
PRECACHED_SUFFIXES = frozenset({".css", ".js", ".mjs", ".png", ".svg", ".webp", ".woff2", ".wasm"})
# Vendored libraries are large and serve one screen each (the scanner's WebAssembly reader is 1 MB and
# only phones without a BarcodeDetector need it): the worker caches each on first use, not at install.
ON_DEMAND = "vendor/"
THEME_COLOR = "#1f5fa8"


@dataclass(frozen=True)
class ShellBuild:
    """What the service worker needs: a version that changes whenever any shell file changes, and
    the files (relative to pwa/) it stores on install."""

    version: str
    assets: tuple[str, ...]


def shell_build(pwa_dir: Path, templates: Iterable[Path] = ()) -> ShellBuild:
    digest = hashlib.sha256()
    assets = []
    files = sorted(p for p in pwa_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        name = path.relative_to(pwa_dir).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        if path.suffix in PRECACHED_SUFFIXES and name != "sw.js" and not name.startswith(ON_DEMAND):
            assets.append(name)
    for path in templates:
        digest.update(path.read_bytes() if path.exists() else b"")
    return ShellBuild(version=digest.hexdigest()[:16], assets=tuple(assets))


@bp.record_once
def _build_once(state: BlueprintSetupState) -> None:
    """Hashing once at start-up: a deploy restarts the app, so the version follows the files."""
    state.app.extensions["pwa_shell"] = shell_build(PWA_DIR, SHELL_TEMPLATES)


def current_build(app: Flask | None = None) -> ShellBuild:
    app = app or current_app
    if not app.debug:
        return app.extensions["pwa_shell"]
    # The dev server restarts on .py changes only; a CSS edit must still show on the next request.
    if has_request_context():
        if "pwa_shell" not in g:
            g.pwa_shell = shell_build(PWA_DIR, SHELL_TEMPLATES)
        return g.pwa_shell
    return shell_build(PWA_DIR, SHELL_TEMPLATES)


def pwa_asset(filename: str) -> str:
    """URL of a file under pwa/, stamped with the shell version so no HTTP cache serves a stale one."""
    return url_for("pwa_static", filename=filename, v=current_build().version)


# The scanner's code reader for browsers without a BarcodeDetector (pwa/js/camera.js): saved by the
# worker for the roles that use /scan as soon as they are signed in, so the camera works offline.
READER_FILES = (
    "vendor/barcode-detector/ponyfill.js",
    "vendor/barcode-detector/zxing-exported.js",
    "vendor/zxing-wasm/zxing_reader.wasm",
)
SCANNING_ROLES = frozenset({roles.WAREHOUSE, roles.LEADER, roles.SERVICE})


@bp.app_context_processor
def _shell_globals() -> dict:
    return {"pwa_asset": pwa_asset, "theme_color": THEME_COLOR, "reader_files": _reader_files()}


def _reader_files() -> list[str]:
    if not has_request_context() or not current_user.is_authenticated:
        return []
    if not current_user.has_any_role(SCANNING_ROLES):
        return []
    return [pwa_asset(name) for name in READER_FILES]


def _html_lang() -> str:
    locale = get_locale()
    return "zh-CN" if locale is None or locale.language == "zh" else "en"


def _icons() -> list[dict[str, str]]:
    icons = []
    for size in (192, 512):
        for purpose, name in (("any", f"icon-{size}.png"), ("maskable", f"icon-maskable-{size}.png")):
            icons.append(
                {
                    "src": pwa_asset(f"icons/{name}"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": purpose,
                }
            )
    return icons


@bp.get("/manifest.webmanifest")
@public
def manifest():
    body = {
        "id": "/",
        "name": _("Order Helper"),
        "short_name": _("Order Helper"),
        "description": _("Orders, production, stock and service for the plant, on the phone."),
        "lang": _html_lang(),
        "dir": "ltr",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "categories": ["business", "productivity"],
        "icons": _icons(),
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
@public
def service_worker():
    """The worker's script with its build prepended. The browser re-installs the worker when these
    bytes change, so a new version string is what rolls out a new shell."""
    build = current_build()
    shell = {
        "version": build.version,
        "precache": [pwa_asset(name) for name in build.assets] + [url_for("pwa.offline")],
        "offline": url_for("pwa.offline"),
        "static": url_for("pwa_static", filename=""),
        "api": "/api/",
    }
    source = (PWA_DIR / "sw.js").read_text(encoding="utf-8")
    body = f"self.SHELL = {json.dumps(shell)};\n{source}"
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # every update check asks the server
    response.set_etag(build.version)
    return response.make_conditional(request)


@bp.get("/offline")
@public
@session_read_only  # fetched by the worker in the background, alongside the user's own requests
def offline():
    """Shown by the service worker when a page was never saved and the network is gone."""
    return render_template("pwa/offline.html")
