"""deploy/nginx/order-helper.conf, run by Debian's nginx in front of two app processes sharing
PostgreSQL and Redis: plain http goes to https, a browser sticks to one process (Socket.IO polling
works across the pair) while its API calls go to the least busy one, websockets upgrade through the
proxy, Redis carries an event to sockets on both processes, and a dead process's browsers move to
the other one."""

import json
import re
import ssl
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import simple_websocket

from tests.deploy.cluster import NGINX, AppProcess, Nginx, app_env, free_port, request
from tests.deploy.conftest import REDIS_URL, redis_reachable

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian's nginx is not installed"),
    pytest.mark.skipif(not redis_reachable(), reason="Redis does not answer on 127.0.0.1:6379"),
]


@pytest.fixture
def cluster(cluster_db, tmp_path) -> Iterator[tuple[Nginx, list[AppProcess]]]:
    env = app_env(cluster_db.url, REDIS_URL)
    apps = [AppProcess(free_port(), env, tmp_path / f"app{n}.log") for n in range(2)]
    proxy = Nginx(tmp_path, [a.port for a in apps])
    try:
        for a in apps:
            a.start()
        proxy.start()
        yield proxy, apps
    finally:
        proxy.stop()
        for a in apps:
            a.stop()


def route_cookie(headers: dict) -> str:
    match = re.search(r"oh_route=([^;]+)", headers.get("set-cookie", ""))
    assert match, headers
    return match.group(1)


def cookie_for_each_process(proxy: Nginx) -> dict[str, str]:
    """A route cookie that lands on each upstream, from fresh browsers' first responses."""
    found: dict[str, str] = {}
    for _ in range(40):
        _, headers, _ = request(proxy.https(), "GET", "/healthz")
        found.setdefault(headers["x-upstream"], route_cookie(headers))
        if len(found) == 2:
            return found
    raise AssertionError(f"every fresh browser went to {list(found)}")


def test_plain_http_is_sent_to_https(cluster):
    proxy, _ = cluster
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    status, headers, _ = request(conn, "GET", "/orders?x=1")
    assert (
        status == 301 and headers["location"].startswith("https://") and "/orders?x=1" in headers["location"]
    )


def test_a_browser_sticks_to_one_process_and_new_browsers_spread(cluster):
    proxy, _ = cluster
    cookies = cookie_for_each_process(proxy)
    for upstream, cookie in cookies.items():
        conn = proxy.https()
        seen = {request(conn, "GET", "/healthz", headers={"Cookie": f"oh_route={cookie}"})[1]["x-upstream"]}
        for _ in range(15):
            status, headers, _ = request(
                proxy.https(), "GET", "/readyz", headers={"Cookie": f"oh_route={cookie}"}
            )
            assert status == 200
            assert "set-cookie" not in headers  # the browser keeps the cookie it has
            seen.add(headers["x-upstream"])
        assert seen == {upstream}
    print(f"sticky: 2 browsers x 16 requests, each on one process of {sorted(cookies)}")


def test_api_calls_go_to_the_least_busy_process_whatever_the_route_cookie(cluster, cluster_db):
    """The JSON API needs no stickiness (bearer token, idempotency keys in the database), so nginx
    sends it to the least busy process: with both idle, one browser's calls alternate between them."""
    proxy, _ = cluster
    cookie = next(iter(cookie_for_each_process(proxy).values()))
    headers = {"Cookie": f"oh_route={cookie}", "Authorization": f"Bearer {cluster_db.token}"}
    conn = proxy.https()
    seen = []
    for _ in range(6):
        status, answer, _ = request(conn, "GET", "/api/v1/auth/me", headers=headers)
        assert status == 200
        seen.append(answer["x-upstream"])
    assert len(set(seen)) == 2, seen
    print(f"api: 6 calls of one browser over {sorted(set(seen))}")


def test_headers_survive_the_proxy(cluster):
    proxy, _ = cluster
    status, headers, _ = request(proxy.https(), "GET", "/login")
    assert status == 200
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["strict-transport-security"].startswith("max-age=")  # OH_HTTPS=1 behind TLS
    cookies = headers["set-cookie"].split("\n")
    assert len(cookies) == 2 and all("; Secure" in c or "; secure" in c for c in cookies), cookies


def test_socketio_long_polling_works_across_two_processes_with_the_route_cookie(cluster, cluster_db):
    proxy, _ = cluster
    auth = {"Authorization": f"Bearer {cluster_db.token}"}
    for cookie in cookie_for_each_process(proxy).values():
        headers = {**auth, "Cookie": f"oh_route={cookie}"}
        for _ in range(5):  # polling: every request must reach the process holding the session
            status, _, body = request(
                proxy.https(), "GET", "/socket.io/?EIO=4&transport=polling", headers=headers
            )
            assert status == 200, body
            sid = json.loads(body[1:])["sid"]
            path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
            status, _, body = request(
                proxy.https(), "POST", path, b"40", {**headers, "Content-Type": "text/plain"}
            )
            assert status == 200 and body.lower() == b"ok", body
            status, _, body = request(proxy.https(), "GET", path, headers=headers)
            assert status == 200 and body.startswith(b"40"), body  # connected, rooms joined


def _websocket(proxy: Nginx, token: str, cookie: str) -> simple_websocket.Client:
    context = ssl._create_unverified_context()
    ws = simple_websocket.Client.connect(
        f"wss://127.0.0.1:{proxy.https_port}/socket.io/?EIO=4&transport=websocket",
        headers={"Authorization": f"Bearer {token}", "Cookie": f"oh_route={cookie}"},
        ssl_context=context,
    )
    assert ws.receive(timeout=10).startswith("0{")  # engine.io open
    ws.send("40")
    assert ws.receive(timeout=10).startswith("40")  # socket.io connected: signed in, rooms joined
    return ws


def _next_event(ws: simple_websocket.Client, name: str) -> list:
    for _ in range(20):
        message = ws.receive(timeout=10)
        assert message is not None, f"no {name} event within 10 s"
        if message == "2":  # engine.io ping
            ws.send("3")
            continue
        if message and message.startswith("42"):
            event = json.loads(message[2:])
            if event[0] == name:
                return event
    raise AssertionError(f"no {name} event")


def test_websockets_upgrade_through_nginx_and_redis_reaches_both_processes(cluster, cluster_db):
    from socketio import RedisManager

    proxy, apps = cluster
    sockets = [_websocket(proxy, cluster_db.token, c) for c in cookie_for_each_process(proxy).values()]
    try:
        marker = uuid.uuid4().hex
        # Any process (or a CLI job) publishes; each app process relays to its own sockets in the room.
        RedisManager(REDIS_URL, channel=apps[0].env["SOCKETIO_CHANNEL"], write_only=True).emit(
            "deploy_check", {"marker": marker}, room=f"user:{cluster_db.user_id}", namespace="/"
        )
        for ws in sockets:
            assert _next_event(ws, "deploy_check")[1] == {"marker": marker}
    finally:
        for ws in sockets:
            if ws.connected:
                ws.close()


def test_a_dead_process_hands_its_browsers_to_the_other(cluster):
    proxy, apps = cluster
    cookies = cookie_for_each_process(proxy)
    victim = next(a for a in apps if f"127.0.0.1:{a.port}" in cookies)
    victim.kill9()
    cookie = cookies[f"127.0.0.1:{victim.port}"]
    for _ in range(5):
        status, headers, _ = request(
            proxy.https(), "GET", "/healthz", headers={"Cookie": f"oh_route={cookie}"}
        )
        assert status == 200
        assert headers["x-upstream"].split(", ")[-1] != f"127.0.0.1:{victim.port}"
