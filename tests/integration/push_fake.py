"""A local push service on loopback (RFC 8030): takes the encrypted POST of a subscription's
endpoint, keeps it, and can answer 410 Gone for a dropped subscription. The test's browser keys
(P-256 key pair + auth secret) decrypt what it got (RFC 8291, aes128gcm), as a browser would."""

import base64
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class BrowserKeys:
    """What a browser makes when it subscribes: its key pair and auth secret."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self) -> str:
        point = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(point)

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(body, private_key=self.private, auth_secret=self.auth, version="aes128gcm")


class FakePushService:
    def __init__(self) -> None:
        self.received: dict[str, list[tuple[dict, bytes]]] = {}  # path → (headers, body)
        self.gone: set[str] = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path in fake.gone:
                    self.send_response(410)
                else:
                    fake.received.setdefault(self.path, []).append((dict(self.headers), body))
                    self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def endpoint(self, name: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/push/{name}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
