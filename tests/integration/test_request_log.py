"""Structured logs: one JSON line per request with method, path, status, duration and user id."""

import json
import logging

from blueprints.request_log import LOGGER_NAME


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(record.getMessage()))


def test_one_json_line_per_request_with_the_user(client, auth):
    lines = Lines()
    logging.getLogger(LOGGER_NAME).addHandler(lines)
    try:
        headers = auth.headers("sales")
        client.get("/api/v1/orders", headers=headers)
        client.get("/healthz")
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(lines)
    orders, health = lines.lines[-2], lines.lines[-1]
    assert orders["method"] == "GET" and orders["path"] == "/api/v1/orders" and orders["status"] == 200
    assert isinstance(orders["user_id"], int) and orders["duration_ms"] >= 0
    assert health["path"] == "/healthz" and health["user_id"] is None
