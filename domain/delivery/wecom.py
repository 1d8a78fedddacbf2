"""企业微信 (WeCom) server API, the two calls the outbox needs (developer.work.weixin.qq.com):

- app messages (应用消息): `GET /cgi-bin/gettoken?corpid&corpsecret` → `access_token`, valid
  `expires_in` seconds (7200), cached per app until shortly before it expires and fetched again when
  the API says it expired or is invalid (42001, 40014, 41001); then
  `POST /cgi-bin/message/send?access_token=…` with a `textcard` that opens the page in Order Helper.
  WeCom's duplicate check (same JSON within 30 min) makes a retry after a lost answer harmless;
- group robots (群机器人): `POST /cgi-bin/webhook/send?key=…` with a `markdown` message.

Every answer carries `errcode` (0 = ok); anything else, or no answer, is a ChannelError and the
worker tries again later. The secret and the robot key are never logged: errors name the call only."""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

DEFAULT_BASE = "https://qyapi.weixin.qq.com"
TIMEOUT = 10  # seconds per call: a hanging API delays the row, it does not block the worker
TOKEN_MARGIN = 300  # fetch a new token this many seconds before WeCom's expiry
TOKEN_ERRORS = frozenset({40014, 41001, 42001})  # invalid, missing, expired access_token
DUPLICATE_WINDOW = 1800


class ChannelError(Exception):
    """The message did not get through this time; the worker retries it with backoff."""


@dataclass(frozen=True)
class AppConfig:
    corp_id: str
    secret: str
    agent_id: int
    base_url: str = DEFAULT_BASE


_tokens: dict[tuple[str, str, int], tuple[str, float]] = {}  # app → (token, good until monotonic)
_tokens_lock = threading.Lock()


def send_textcard(app: AppConfig, userid: str, title: str, description: str, url: str) -> None:
    body = {
        "touser": userid,
        "msgtype": "textcard",
        "agentid": app.agent_id,
        "textcard": {"title": title, "description": description, "url": url, "btntxt": "打开"},
        "enable_duplicate_check": 1,
        "duplicate_check_interval": DUPLICATE_WINDOW,
    }
    answer = _post(app.base_url, "/cgi-bin/message/send", {"access_token": _token(app)}, body)
    if answer.get("errcode") in TOKEN_ERRORS:  # expired early (or revoked): one fresh token, once
        answer = _post(app.base_url, "/cgi-bin/message/send", {"access_token": _token(app, fresh=True)}, body)
    _check(answer, "message/send")


def send_robot_markdown(base_url: str, key: str, content: str) -> None:
    body = {"msgtype": "markdown", "markdown": {"content": content}}
    _check(_post(base_url, "/cgi-bin/webhook/send", {"key": key}, body), "webhook/send")


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()


def _token(app: AppConfig, fresh: bool = False) -> str:
    cache_key = (app.base_url, app.corp_id, app.agent_id)
    with _tokens_lock:
        cached = _tokens.get(cache_key)
        if cached and not fresh and cached[1] > time.monotonic():
            return cached[0]
        answer = _get(app.base_url, "/cgi-bin/gettoken", {"corpid": app.corp_id, "corpsecret": app.secret})
        _check(answer, "gettoken")
        expires_in = int(answer.get("expires_in", 7200))
        _tokens[cache_key] = (answer["access_token"], time.monotonic() + max(expires_in - TOKEN_MARGIN, 60))
        return answer["access_token"]


def _check(answer: dict[str, Any], call: str) -> None:
    if answer.get("errcode", -1) != 0:
        raise ChannelError(f"WeCom {call}: errcode {answer.get('errcode')} {answer.get('errmsg', '')}"[:300])


def _get(base: str, path: str, query: dict[str, Any]) -> dict[str, Any]:
    return _call(urllib.request.Request(f"{base}{path}?{urllib.parse.urlencode(query)}"), path)


def _post(base: str, path: str, query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}{path}?{urllib.parse.urlencode(query)}",
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    return _call(request, path)


def _call(request: urllib.request.Request, path: str) -> dict[str, Any]:
    """The answer's JSON; a network failure or a non-JSON answer is a ChannelError naming the path
    only (the URL's query holds the secret or the robot key)."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or type(error).__name__
        raise ChannelError(f"WeCom {path}: {reason}"[:300]) from None
