"""A production-shaped cluster on this machine for the deployment and fault tests: app processes
(gunicorn with gunicorn.conf.py and wsgi.py, as deploy/systemd runs them) and Debian's nginx running
deploy/nginx/order-helper.conf as a foreground process with a temporary config, ports and certificate."""

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_CONF = ROOT / "deploy" / "nginx" / "order-helper.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} (exit code {process.poll()})")


def wait_for_health(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until the worker answers /healthz: gunicorn's master listens before its worker has the app."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the app on {port} did not become healthy (exit code {process.poll()})")


@dataclass
class AppProcess:
    """One gunicorn process of the app, restartable on the same port."""

    port: int
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env={**self.env, "BIND": f"127.0.0.1:{self.port}"},
            stdout=log,
            stderr=log,
        )
        log.close()
        wait_for_health(self.port, self.process)

    def kill9(self) -> None:
        """SIGKILL to the arbiter and its worker: no graceful shutdown, no flush, like a power cut."""
        assert self.process is not None
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        for pid in children:
            os.kill(int(pid), 9)
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def app_env(database_url: str, redis_url: str | None, secret: str = "deploy-test-secret") -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret,
        "OH_HTTPS": "1",
        "BEHIND_PROXY": "1",
        "THREADS": "32",
        "REQUEST_LOG": "json",
    }
    env.pop("REDIS_URL", None)
    if redis_url:  # a channel of this cluster's own: other tests' servers share the Redis server
        env["REDIS_URL"] = redis_url
        env["SOCKETIO_CHANNEL"] = f"oh-cluster-{uuid.uuid4().hex[:8]}"
    return env


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def render_site(app_ports: list[int], http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx/order-helper.conf with this machine's temporary ports and certificate, plus a
    header naming the upstream that answered (so the test can see stickiness)."""
    conf = SITE_CONF.read_text()
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;" for p in app_ports)
    conf, count = re.subn(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers + "\n", conf)
    assert count == 2, "the upstream blocks changed shape"  # sticky (pages, Socket.IO) and API
    conf = re.sub(r"\n\s*listen \[::\]:[^\n]*", "", conf)
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    conf = re.sub(r"listen 443 ssl http2;[^\n]*", f"listen 127.0.0.1:{https_port} ssl http2;", conf)
    conf = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", conf)
    conf = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", conf)
    marker = "add_header Set-Cookie $oh_route_cookie always;"
    assert marker in conf
    return conf.replace(marker, marker + "\n    add_header X-Upstream $upstream_addr always;")


@dataclass
class Nginx:
    directory: Path
    app_ports: list[int]
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        cert, key = self_signed_cert(self.directory)
        d = self.directory
        (d / "site.conf").write_text(render_site(self.app_ports, self.http_port, self.https_port, cert, key))
        (d / "nginx.conf").write_text(
            f"""worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
user root;
events {{ worker_connections 1024; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    include {d}/site.conf;
}}
"""
        )
        test = subprocess.run([NGINX, "-t", "-c", str(d / "nginx.conf")], capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        log = (d / "nginx.out").open("w")
        self.process = subprocess.Popen([NGINX, "-c", str(d / "nginx.conf")], stdout=log, stderr=log)
        log.close()
        wait_for_port(self.https_port, self.process, 10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def https(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, timeout=60, context=ssl._create_unverified_context()
        )


def request(conn, method: str, path: str, body=None, headers=None) -> tuple[int, dict, bytes]:
    payload = json.dumps(body) if isinstance(body, dict) else body
    conn.request(
        method, path, payload, {**({"Content-Type": "application/json"} if body else {}), **(headers or {})}
    )
    response = conn.getresponse()
    headers: dict[str, str] = {}
    for key, value in response.getheaders():  # repeated headers (Set-Cookie) joined by newlines
        headers[key.lower()] = f"{headers[key.lower()]}\n{value}" if key.lower() in headers else value
    return response.status, headers, response.read()
