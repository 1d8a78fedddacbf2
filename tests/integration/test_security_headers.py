"""Security headers: the strict CSP on pages and API alike, no framing, no sniffing, HSTS only over TLS."""

import pytest

from blueprints.security_headers import CSP


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/healthz", "/pwa/js/app.js", "/nope"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert csp == CSP
    assert "frame-ancestors 'none'" in csp
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.config(PREFERRED_URL_SCHEME="https")
def test_hsts_when_served_over_tls(client):
    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
