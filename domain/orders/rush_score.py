"""The rush-order scoring model of DESIGN §3.3: five dimensions scored 0–5, a weighted composite and the
threshold above which the rush channel opens without the VP. Plain values in, an explained score out."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _

CUSTOMER, MARGIN, COMPLEXITY, URGENCY, MATERIAL = "customer", "margin", "complexity", "urgency", "material"
DIMENSIONS = (CUSTOMER, MARGIN, COMPLEXITY, URGENCY, MATERIAL)
CENT = Decimal("0.01")
MAX_SCORE = Decimal(5)

Bands = tuple[tuple[Decimal, Decimal], ...]


def _d(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _bands(pairs: Any) -> Bands:
    return tuple((_d(limit), _d(score)) for limit, score in pairs)


DEFAULT_RANK_BANDS = _bands([("0.10", 5), ("0.25", 4), ("0.50", 3), ("0.75", 2)])
DEFAULT_MARGIN_BANDS = _bands([(18, 5), (15, 4), (12, 3), (9, 2), (6, 1)])


@dataclass(frozen=True)
class RushSettings:
    """Everything an admin may tune; the defaults are the numbers of DESIGN §3.3."""

    weights: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            CUSTOMER: Decimal("0.30"),
            MARGIN: Decimal("0.25"),
            COMPLEXITY: Decimal("0.20"),
            URGENCY: Decimal("0.15"),
            MATERIAL: Decimal("0.10"),
        }
    )
    # (largest share of the ranking, score): rank/active ≤ 0.10 → 5, … ; below every band → rank_floor.
    rank_bands: Bands = DEFAULT_RANK_BANDS
    rank_floor: Decimal = Decimal(1)
    # (lowest gross margin in %, score): ≥ 18 → 5, ≥ 15 → 4, … ; below every band → margin_floor.
    margin_bands: Bands = DEFAULT_MARGIN_BANDS
    margin_floor: Decimal = Decimal(0)
    complexity_base: Decimal = Decimal(5)
    complexity_change_penalty: Decimal = Decimal(3)
    urgency_fast_ratio: Decimal = Decimal("0.60")  # requested / standard lead time at or below → fast score
    urgency_slow_ratio: Decimal = Decimal("1.00")  # at or above → slow score; linear in between
    urgency_fast_score: Decimal = Decimal(5)
    urgency_slow_score: Decimal = Decimal(1)
    kitting_full_rate: Decimal = Decimal("0.90")  # kitting at or above → full score; below, proportional
    threshold: Decimal = Decimal("4.2")
    # Used to turn a rush order's machine time into days when listing the orders it delays.
    workday_hours: Decimal = Decimal(16)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: decimals as strings so a round trip through the database is exact."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "weights":
                out[f.name] = {k: str(v) for k, v in value.items()}
            elif f.name.endswith("_bands"):
                out[f.name] = [[str(limit), str(score)] for limit, score in value]
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "RushSettings":
        """Stored values over the defaults; keys that are not settings are ignored."""
        base = cls()
        changes: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in (data or {}):
                continue
            value = data[f.name]  # type: ignore[index]
            if f.name == "weights":
                changes[f.name] = {**base.weights, **{k: _d(v) for k, v in value.items() if k in DIMENSIONS}}
            elif f.name.endswith("_bands"):
                changes[f.name] = _bands(value)
            else:
                changes[f.name] = _d(value)
        return replace(base, **changes)

    def problems(self) -> dict[str, str]:
        """{setting: what is wrong}; empty when the settings make a sound scoring model."""
        out: dict[str, str] = {}
        weights = [self.weights.get(d, Decimal(0)) for d in DIMENSIONS]
        if any(w < 0 for w in weights) or sum(weights) != 1:
            out["weights"] = _("The five weights must be zero or more and add up to 100%.")
        for name in ("rank_bands", "margin_bands"):
            band = getattr(self, name)
            limits = [limit for limit, _s in band]
            ascending = name == "rank_bands"
            if limits != sorted(limits, reverse=not ascending) or len(set(limits)) != len(limits):
                out[name] = _("Bands must be listed from the best to the worst, each limit once.")
            elif any(not 0 <= score <= MAX_SCORE for _l, score in band):
                out[name] = _("Every band's score must be between 0 and 5.")
        if not 0 < self.urgency_fast_ratio < self.urgency_slow_ratio:
            out["urgency_fast_ratio"] = _("The fast ratio must be above 0 and below the slow ratio.")
        if not 0 < self.kitting_full_rate <= 1:
            out["kitting_full_rate"] = _("The full-kitting rate must be above 0% and at most 100%.")
        if not 0 <= self.threshold <= MAX_SCORE:
            out["threshold"] = _("The threshold must be between 0 and 5.")
        if self.workday_hours <= 0 or self.workday_hours > 24:
            out["workday_hours"] = _("A working day has between 1 and 24 hours.")
        return out


@dataclass(frozen=True)
class RushInputs:
    """The facts about one rush request, gathered from master data, the price list and stock."""

    customer_rank: int | None  # 1 = largest 12-month purchases among active customers; None = not active
    active_customers: int
    margin_pct: Decimal | None  # gross margin in %; None when price or cost is unknown
    needs_mold_or_colorant_change: bool
    requested_lead_days: int
    standard_lead_days: int
    kitting_rate: Decimal | None  # 0..1; None when it cannot be computed


@dataclass(frozen=True)
class Dimension:
    key: str
    score: Decimal
    weight: Decimal
    why: str

    @property
    def weighted(self) -> Decimal:
        return self.score * self.weight


@dataclass(frozen=True)
class RushScore:
    dimensions: tuple[Dimension, ...]
    composite: Decimal
    threshold: Decimal

    @property
    def opens_at_once(self) -> bool:
        return self.composite >= self.threshold

    def without_margin(self, note: str) -> "RushScore":
        """The same score with the margin's explanation (it reads the price and cost) replaced by `note`,
        for the roles that do not deal in prices."""
        dimensions = tuple(replace(d, why=note) if d.key == MARGIN else d for d in self.dimensions)
        return replace(self, dimensions=dimensions)


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def _num(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP)}"


def customer_score(rank: int | None, active: int, s: RushSettings) -> tuple[Decimal, str]:
    if rank is None or active <= 0:
        return s.rank_floor, _("The customer is not among the active customers, so it ranks lowest.")
    share = Decimal(rank) / Decimal(active)
    for limit, score in s.rank_bands:
        if share <= limit:
            return score, _(
                "Ranked %(rank)d of %(total)d active customers by 12-month purchases (top %(share)s); "
                "the top %(band)s score %(score)s.",
                rank=rank,
                total=active,
                share=_pct(share),
                band=_pct(limit),
                score=_num(score),
            )
    return s.rank_floor, _(
        "Ranked %(rank)d of %(total)d active customers by 12-month purchases (top %(share)s), "
        "below every band, so it scores %(score)s.",
        rank=rank,
        total=active,
        share=_pct(share),
        score=_num(s.rank_floor),
    )


def margin_score(margin_pct: Decimal | None, s: RushSettings) -> tuple[Decimal, str]:
    if margin_pct is None:
        return s.margin_floor, _("No unit price or no cost in the price list, so the margin cannot count.")
    shown = f"{margin_pct.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    for limit, score in s.margin_bands:
        if margin_pct >= limit:
            return score, _(
                "Gross margin %(margin)s is at least %(band)s%%, which scores %(score)s.",
                margin=shown,
                band=f"{limit.normalize():f}",
                score=_num(score),
            )
    lowest = s.margin_bands[-1][0] if s.margin_bands else Decimal(0)
    return s.margin_floor, _(
        "Gross margin %(margin)s is below %(band)s%%, which scores %(score)s.",
        margin=shown,
        band=f"{lowest.normalize():f}",
        score=_num(s.margin_floor),
    )


def complexity_score(needs_change: bool, s: RushSettings) -> tuple[Decimal, str]:
    if needs_change:
        score = max(Decimal(0), s.complexity_base - s.complexity_change_penalty)
        return score, _(
            "A mold or colorant change is needed: %(base)s minus %(penalty)s.",
            base=_num(s.complexity_base),
            penalty=_num(s.complexity_change_penalty),
        )
    return s.complexity_base, _("No mold or colorant change is needed.")


def urgency_score(requested_days: int, standard_days: int, s: RushSettings) -> tuple[Decimal, str]:
    if standard_days <= 0:
        return s.urgency_slow_score, _("The product has no standard lead time, so urgency scores lowest.")
    ratio = Decimal(requested_days) / Decimal(standard_days)
    fast, slow = s.urgency_fast_ratio, s.urgency_slow_ratio
    if ratio <= fast:
        score = s.urgency_fast_score
    elif ratio >= slow:
        score = s.urgency_slow_score
    else:
        span = s.urgency_fast_score - s.urgency_slow_score
        score = (s.urgency_fast_score - (ratio - fast) / (slow - fast) * span).quantize(CENT, ROUND_HALF_UP)
    return score, _(
        "Requested lead time %(requested)d days is %(ratio)s of the standard %(standard)d days "
        "(%(fast)s or less scores %(fast_score)s, %(slow)s or more scores %(slow_score)s).",
        requested=requested_days,
        standard=standard_days,
        ratio=_pct(ratio),
        fast=_pct(fast),
        slow=_pct(slow),
        fast_score=_num(s.urgency_fast_score),
        slow_score=_num(s.urgency_slow_score),
    )


def material_score(rate: Decimal | None, s: RushSettings) -> tuple[Decimal, str]:
    if rate is None:
        return Decimal(0), _("The kitting rate cannot be computed (no active BOM), so it scores 0.")
    if rate >= s.kitting_full_rate:
        return MAX_SCORE, _(
            "Kitting rate %(rate)s is at least %(full)s, which scores 5.",
            rate=_pct(rate),
            full=_pct(s.kitting_full_rate),
        )
    score = (MAX_SCORE * rate / s.kitting_full_rate).quantize(CENT, ROUND_HALF_UP)
    return score, _(
        "Kitting rate %(rate)s is below %(full)s: 5 × %(rate)s / %(full)s = %(score)s.",
        rate=_pct(rate),
        full=_pct(s.kitting_full_rate),
        score=_num(score),
    )


def score_rush(inputs: RushInputs, settings: RushSettings | None = None) -> RushScore:
    """Every dimension with its score and why, and the composite (rounded down to 0.01, so a shown
    4.19 never opens the channel and a shown 4.20 always does)."""
    s = settings or RushSettings()
    parts = {
        CUSTOMER: customer_score(inputs.customer_rank, inputs.active_customers, s),
        MARGIN: margin_score(inputs.margin_pct, s),
        COMPLEXITY: complexity_score(inputs.needs_mold_or_colorant_change, s),
        URGENCY: urgency_score(inputs.requested_lead_days, inputs.standard_lead_days, s),
        MATERIAL: material_score(inputs.kitting_rate, s),
    }
    dimensions = tuple(
        Dimension(key, score.quantize(CENT, ROUND_HALF_UP), s.weights.get(key, Decimal(0)), why)
        for key, (score, why) in parts.items()
    )
    composite = sum((d.weighted for d in dimensions), Decimal(0)).quantize(CENT, ROUND_DOWN)
    return RushScore(dimensions, composite, s.threshold)
