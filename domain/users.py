"""Accounts: users with several roles, hashed passwords and hashed API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from domain.clock import utcnow
from extensions import db


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", use_alter=True))
    is_demo: Mapped[bool] = mapped_column(default=False)
    wecom_userid: Mapped[str | None] = mapped_column(String(64))  # 企业微信 userid: app messages reach them
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="user"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles: set[str] | list[str]) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def has_any_role(self, roles: set[str] | frozenset[str]) -> bool:
        return bool(self.roles & set(roles))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class UserRole(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(db.Model):
    """Only the SHA-256 of a token is stored: a leaked database does not leak usable tokens."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(default=False)
    user: Mapped[User] = relationship()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, ttl_hours: int) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user=user, token_hash=_hash_token(token), expires_at=utcnow() + timedelta(hours=ttl_hours))
    )
    return token


def user_for_token(token: str) -> User | None:
    """The active user of a live token, with its roles, in one query: it runs on every API call."""
    query = (
        db.select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .options(joinedload(User.role_rows))
        .where(
            ApiToken.token_hash == _hash_token(token),
            ApiToken.revoked.is_(False),
            ApiToken.expires_at >= utcnow(),
            User.active.is_(True),
        )
    )
    return db.session.execute(query).unique().scalar_one_or_none()


def find_user(username: str) -> User | None:
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
