"""Security headers on every response: a strict Content-Security-Policy (scripts only from this
site's own files, no inline or injected script, nothing from other origins, no framing), no MIME
sniffing, a same-origin referrer, and HSTS when the app is served over TLS (OH_HTTPS=1)."""

from flask import Flask, Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",  # the scanner's zxing decoder is WebAssembly; no JS eval
        # Styles may be inline: the vendored Gantt chart (vis-timeline) injects its own <style>, and
        # inline CSS cannot run code; scripts stay strictly 'self'.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",  # the camera preview of the scanner
        "font-src 'self'",
        "connect-src 'self'",  # fetch and the same host's Socket.IO websocket (CSP3: 'self' covers ws/wss)
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"
HSTS = "max-age=31536000"


def add_headers(response: Response, https: bool) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP2
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if https:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register(app: Flask) -> None:
    https = app.config.get("PREFERRED_URL_SCHEME") == "https"
    app.after_request(lambda response: add_headers(response, https))
