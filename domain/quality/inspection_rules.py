"""Judging an inspection from its checklist, on plain values: each measured value within nominal ±
tolerance, each visual check marked pass; the inspection passes when every item passes."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from domain.errors import DomainError

MEASURE, CHECK = "measure", "check"


@dataclass(frozen=True)
class Item:
    id: int
    seq: int
    name: str
    method: str
    nominal: Decimal | None = None
    tol_minus: Decimal | None = None
    tol_plus: Decimal | None = None
    unit: str = ""

    def limits(self) -> tuple[Decimal, Decimal]:
        nominal = self.nominal or Decimal(0)
        return nominal - (self.tol_minus or Decimal(0)), nominal + (self.tol_plus or Decimal(0))


@dataclass(frozen=True)
class Verdict:
    item: Item
    measured: Decimal | None
    checked_ok: bool | None
    passed: bool


def field_name(item: Item) -> str:
    return f"item_{item.id}"


def judge(items: list[Item], answers: Mapping[str, Any]) -> tuple[list[Verdict], bool]:
    """Every item needs an answer (`item_<id>`): a number for a measurement, pass/fail for a check.
    All problems are reported at once."""
    if not items:
        message = _("This product has no inspection checklist yet.")
        raise DomainError("no_checklist", message, {"checklist": message})
    verdicts, problems = [], {}
    for item in items:
        raw = answers.get(field_name(item))
        if item.method == MEASURE:
            value = _number(raw)
            if value is None:
                problems[field_name(item)] = _("Enter the measured value of %(name)s.", name=item.name)
                continue
            low, high = item.limits()
            verdicts.append(Verdict(item, value, None, low <= value <= high))
        else:
            ok = _pass_fail(raw)
            if ok is None:
                problems[field_name(item)] = _("Mark %(name)s as pass or fail.", name=item.name)
                continue
            verdicts.append(Verdict(item, None, ok, ok))
    if problems:
        raise DomainError("inspection_incomplete", _("Some checklist items have no answer."), problems)
    return verdicts, all(v.passed for v in verdicts)


def _number(raw: Any) -> Decimal | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _pass_fail(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = str(raw or "").strip().lower()
    if text in ("pass", "ok", "true", "1", "yes"):
        return True
    if text in ("fail", "ng", "false", "0", "no"):
        return False
    return None
