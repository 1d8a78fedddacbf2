"""Web Push (RFC 8030/8291/8292) to installed PWAs and browsers: the app's VAPID key pair (from
VAPID_PRIVATE_KEY, else made once into instance/vapid_private.pem), the subscriptions each user's
devices registered, and sending one message, encrypted for that subscription (pywebpush). A push
service that answers 404 or 410 has dropped the subscription: it is removed, not retried."""

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from sqlalchemy import select

from domain.delivery.models import PushSubscription
from domain.delivery.wecom import ChannelError
from extensions import db

GONE = frozenset({404, 410})
TTL = 24 * 3600  # a phone off for a day still gets the card when it comes back


class SubscriptionGone(Exception):
    """The push service no longer knows this subscription; it was removed."""


def vapid() -> Vapid02:
    configured = current_app.config.get("VAPID_PRIVATE_KEY")
    if configured:
        return Vapid02.from_string(configured)
    path = Path(current_app.instance_path) / "vapid_private.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        key.save_key(str(path))
        path.chmod(0o600)
    return Vapid02.from_file(str(path))


def public_key() -> str:
    """The applicationServerKey a browser subscribes with: the uncompressed P-256 point, base64url."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def subscribe(user_id: int, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Register (or move to this user) a device's subscription; the caller commits."""
    row = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(endpoint=endpoint)
        db.session.add(row)
    row.user_id, row.p256dh, row.auth = user_id, p256dh, auth
    return row


def unsubscribe(user_id: int, endpoint: str) -> None:
    from domain.transactions import write_transaction

    with write_transaction():
        row = db.session.scalar(
            select(PushSubscription).where(
                PushSubscription.endpoint == endpoint, PushSubscription.user_id == user_id
            )
        )
        if row is not None:
            db.session.delete(row)


def send(subscription_id: int, message: dict[str, Any]) -> None:
    row = db.session.get(PushSubscription, subscription_id)
    if row is None:
        raise SubscriptionGone(subscription_id)
    info = {"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}}
    db.session.rollback()  # a read only: end it before the worker's next write
    subject = current_app.config.get("VAPID_SUBJECT") or "mailto:it@example.cn"
    try:
        webpush(
            info,
            json.dumps(message, ensure_ascii=False),
            vapid_private_key=vapid(),
            vapid_claims={"sub": subject},
            ttl=TTL,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            remove(subscription_id)
            raise SubscriptionGone(subscription_id) from None
        raise ChannelError(f"Web Push: {status or type(error).__name__}") from None
    except OSError as error:
        raise ChannelError(f"Web Push: {type(error).__name__}") from None


def remove(subscription_id: int) -> None:
    from domain.transactions import write_transaction

    with write_transaction():
        row = db.session.get(PushSubscription, subscription_id)
        if row is not None:
            db.session.delete(row)
