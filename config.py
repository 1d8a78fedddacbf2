"""Settings read from the environment; `create_app(overrides)` layers test values on top."""

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


def _default_database_url() -> str:
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'order_helper.sqlite'}"


def _secret_key() -> str:
    """SECRET_KEY from env, else one generated once and kept under instance/ (never a constant)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()


def from_env() -> dict:
    https = os.environ.get("OH_HTTPS", "0") == "1"
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or _default_database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "flask-socketio"),  # Redis pub/sub channel
        "PLANT_TIMEZONE": os.environ.get("PLANT_TIMEZONE", "Asia/Shanghai"),
        # A GPS fix older than this when the worker confirmed is refused (DESIGN §6).
        "GPS_MAX_FIX_AGE_SECONDS": float(os.environ.get("GPS_MAX_FIX_AGE_SECONDS", "120")),
        # A stock adjustment (or count) of more handling units than this needs an administrator.
        "ADJUSTMENT_SUPERVISOR_UNITS": os.environ.get("ADJUSTMENT_SUPERVISOR_UNITS", "1"),
        # Labels (scanning/labels.py): the address printed in QR codes, and the key that signs location
        # labels (else derived from SECRET_KEY; set it before printing if SECRET_KEY may be rotated).
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        # 企业微信 app messages (off unless all three are set); WECOM_API_BASE only for a test server.
        "WECOM_CORP_ID": os.environ.get("WECOM_CORP_ID") or None,
        "WECOM_AGENT_ID": os.environ.get("WECOM_AGENT_ID") or None,
        "WECOM_SECRET": os.environ.get("WECOM_SECRET") or None,
        "WECOM_API_BASE": os.environ.get("WECOM_API_BASE") or None,
        # "thread": deliver the outbox inside the web process (the demo); else run `flask delivery-worker`.
        "DELIVERY_WORKER": os.environ.get("DELIVERY_WORKER") or None,
        # Web Push: the VAPID key (PEM or base64url DER; else one is made into instance/) and contact.
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY") or None,
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT") or None,
        "LABEL_SIGNING_KEY": os.environ.get("LABEL_SIGNING_KEY") or None,
        # Cookies: never readable by JS, same-site, secure whenever the app is served over TLS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,  # one shift and a half
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
        "LANGUAGES": ["zh_CN", "en"],
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_TOKEN_TTL_HOURS": 24 * 7,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # flask-smorest / OpenAPI
        "API_TITLE": "Order Helper API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
