"""A local 企业微信 server on loopback that answers like the documented API: gettoken issues tokens
(`expires_in` 7200), message/send and webhook/send take JSON and answer `{"errcode": 0, ...}`. Tests
make it expire a token, answer an errcode, or go down (connections refused) and come back."""

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeWeCom:
    def __init__(self, corp_id: str = "ww-test", secret: str = "s3cret") -> None:
        self.corp_id, self.secret = corp_id, secret
        self.token_fetches = 0
        self.sent: list[dict] = []  # message/send bodies accepted
        self.robot: list[tuple[str, dict]] = []  # (key, body) accepted
        self.errors: deque[int] = deque()  # errcodes to answer the next sends with
        self._valid: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Down: the port refuses connections until start() again."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def expire_tokens(self) -> None:
        with self._lock:
            self._valid.clear()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:
                pass

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path != "/cgi-bin/gettoken":
                    return self._json({"errcode": 404, "errmsg": "not found"})
                if (query.get("corpid"), query.get("corpsecret")) != (fake.corp_id, fake.secret):
                    return self._json({"errcode": 40001, "errmsg": "invalid credential"})
                with fake._lock:
                    fake.token_fetches += 1
                    token = f"tok-{fake.token_fetches}"
                    fake._valid.add(token)
                self._json({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

            def do_POST(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
                with fake._lock:
                    if url.path == "/cgi-bin/webhook/send":
                        fake.robot.append((query.get("key", ""), body))
                        return self._json({"errcode": 0, "errmsg": "ok"})
                    if query.get("access_token") not in fake._valid:
                        return self._json({"errcode": 42001, "errmsg": "access_token expired"})
                    if fake.errors:
                        return self._json({"errcode": fake.errors.popleft(), "errmsg": "system busy"})
                    fake.sent.append(body)
                self._json({"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"m{len(fake.sent)}"})

            def _json(self, answer: dict) -> None:
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
