"""Compliance rules as data (DESIGN §3.1): the rule table an admin edits, the log of every submission
and the monthly missing-information rate (资料缺失率) computed from it."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, String, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from domain import audit
from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.orders.compliance import BUILTIN, DEFAULT_RULES, REQUIRABLE_FIELDS, REQUIRED, Failure, Rule
from domain.transactions import unit_of_work
from extensions import db

MESSAGE_MAX = 300


class ComplianceRule(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=BUILTIN)  # builtin | required
    field: Mapped[str] = mapped_column(String(64))
    message_en: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    message_zh: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)  # failures are listed in this order
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def as_rule(self) -> Rule:
        return Rule(self.code, self.field, self.message_en, self.message_zh, self.kind, self.active)


class OrderSubmission(db.Model):
    """One row per attempt to submit an order for review, passed or not."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM in the plant's time zone
    failed_count: Mapped[int] = mapped_column(default=0)
    failed: Mapped[list[str]] = mapped_column(JSON, default=list)  # codes of the failed rules


# ---- the rule table ----


def ensure_default_rules(commit: bool = True) -> int:
    """Add each of the 8 default rules that is missing (by code); returns how many were added.

    Idempotent and needs no request: seed-demo, the CLI and the first submission may all call it.
    An admin's edits to a default rule are kept: an existing row is never overwritten. Inside a use
    case (`commit=False`) the rows join the caller's transaction in a savepoint, so seeding never
    commits a half-done change of the caller's."""
    existing = set(db.session.execute(select(ComplianceRule.code)).scalars())
    missing = [(p, rule) for p, rule in enumerate(DEFAULT_RULES) if rule.code not in existing]
    if not missing:
        return 0
    try:
        with db.session.begin_nested():
            for position, rule in missing:
                db.session.add(
                    ComplianceRule(
                        code=rule.code,
                        kind=BUILTIN,
                        field=rule.field,
                        message_en=rule.message_en,
                        message_zh=rule.message_zh,
                        position=position,
                    )
                )
    except IntegrityError:  # another worker seeded them at the same moment
        return 0
    if commit:
        db.session.commit()
    return len(missing)


def all_rules() -> list[ComplianceRule]:
    ensure_default_rules(commit=False)
    query = select(ComplianceRule).order_by(ComplianceRule.position, ComplianceRule.id)
    return list(db.session.execute(query).scalars())


def active_rules() -> list[Rule]:
    return [row.as_rule() for row in all_rules() if row.active]


def get_rule(rule_id: int) -> ComplianceRule:
    row = db.session.get(ComplianceRule, rule_id)
    if row is None:
        raise NotFound("compliance rule", rule_id)
    return row


@dataclass(frozen=True)
class RuleEdit:
    active: bool | None = None
    message_en: str | None = None
    message_zh: str | None = None


def _message_problems(en: str | None, zh: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name, text in (("message_en", en), ("message_zh", zh)):
        if text is None:
            continue
        if not text.strip():
            problems[name] = _("Write the message the user will see.")
        elif len(text.strip()) > MESSAGE_MAX:
            problems[name] = _("At most %(n)s characters.", n=MESSAGE_MAX)
    return problems


@unit_of_work
def update_rule(rule_id: int, edit: RuleEdit, actor: Any) -> ComplianceRule:
    row = get_rule(rule_id)
    if problems := _message_problems(edit.message_en, edit.message_zh):
        raise DomainError("invalid_rule", _("Some fields are not valid."), problems)
    before = {"active": row.active, "message_en": row.message_en, "message_zh": row.message_zh}
    if edit.active is not None:
        row.active = edit.active
    if edit.message_en is not None:
        row.message_en = edit.message_en.strip()
    if edit.message_zh is not None:
        row.message_zh = edit.message_zh.strip()
    after = {"active": row.active, "message_en": row.message_en, "message_zh": row.message_zh}
    audit.record("compliance_rule_edit", "compliance_rule", row.code, audit.diff(before, after), actor=actor)
    return row


@unit_of_work
def add_required_rule(field: str, message_en: str, message_zh: str, actor: Any) -> ComplianceRule:
    """A new rule: `field` must not be blank when the order is submitted."""
    problems = _message_problems(message_en, message_zh)
    if field not in REQUIRABLE_FIELDS:
        problems["field"] = _("Choose one of the order fields that can be required.")
    code = f"required_{re.sub(r'[^a-z0-9_]', '', field)}"
    if (
        not problems
        and db.session.execute(select(ComplianceRule.id).where(ComplianceRule.code == code)).first()
    ):
        problems["field"] = _("This field already has a required-field rule; edit that one.")
    if problems:
        raise DomainError("invalid_rule", _("Some fields are not valid."), problems)
    last = db.session.execute(select(func.max(ComplianceRule.position))).scalar_one_or_none() or 0
    row = ComplianceRule(
        code=code,
        kind=REQUIRED,
        field=field,
        message_en=message_en.strip(),
        message_zh=message_zh.strip(),
        position=last + 1,
    )
    db.session.add(row)
    audit.record("compliance_rule_add", "compliance_rule", code, {"field": [None, field]}, actor=actor)
    return row


# ---- submissions and the missing-information rate ----


def log_submission(order_id: int, user: Any, failures: list[Failure], month: str) -> OrderSubmission:
    """Adds the row to the caller's transaction; a refused submission commits it on its own."""
    row = OrderSubmission(
        order_id=order_id,
        user_id=getattr(user, "id", None),
        month=month,
        failed_count=len(failures),
        failed=[f.code for f in failures],
    )
    db.session.add(row)
    return row


@dataclass(frozen=True)
class MonthRate:
    month: str
    submissions: int
    with_missing: int

    @property
    def rate(self) -> float:
        return self.with_missing / self.submissions if self.submissions else 0.0


def missing_information_rate(months: int = 12) -> list[MonthRate]:
    """Per month, newest first: submissions and how many had at least one failed rule (one query)."""
    missing = func.sum(case((OrderSubmission.failed_count > 0, 1), else_=0))
    query = (
        select(OrderSubmission.month, func.count(OrderSubmission.id), missing)
        .group_by(OrderSubmission.month)
        .order_by(OrderSubmission.month.desc())
        .limit(months)
    )
    return [MonthRate(month, total, int(bad or 0)) for month, total, bad in db.session.execute(query)]
