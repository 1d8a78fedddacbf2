"""The rush-order scoring table of DESIGN §3.3, band by band, and the 4.2 threshold on both sides."""

from decimal import Decimal

import pytest

from domain.orders.rush_score import (
    COMPLEXITY,
    CUSTOMER,
    MARGIN,
    MATERIAL,
    URGENCY,
    RushInputs,
    RushSettings,
    complexity_score,
    customer_score,
    margin_score,
    material_score,
    score_rush,
    urgency_score,
)

DEFAULTS = RushSettings()


def inputs(**changes) -> RushInputs:
    base = {
        "customer_rank": 1,
        "active_customers": 100,
        "margin_pct": Decimal(20),
        "needs_mold_or_colorant_change": False,
        "requested_lead_days": 9,
        "standard_lead_days": 15,
        "kitting_rate": Decimal(1),
    }
    return RushInputs(**{**base, **changes})


@pytest.mark.parametrize(
    ("rank", "expected"),
    [(1, 5), (10, 5), (11, 4), (25, 4), (26, 3), (50, 3), (51, 2), (75, 2), (76, 1), (100, 1)],
)
def test_customer_rank_bands_top_10_25_50_75_percent(rank, expected):
    score, why = customer_score(rank, 100, DEFAULTS)
    assert score == expected
    assert f"Ranked {rank} of 100" in why


def test_customer_not_active_scores_lowest_band():
    assert customer_score(None, 100, DEFAULTS)[0] == 1


@pytest.mark.parametrize(
    ("margin", "expected"),
    [
        ("35", 5),
        ("18", 5),
        ("17.99", 4),
        ("15", 4),
        ("14.9", 3),
        ("12", 3),
        ("11.5", 2),
        ("9", 2),
        ("8.99", 1),
        ("6", 1),
        ("5.99", 0),
        ("-3", 0),
    ],
)
def test_margin_bands_lose_one_point_per_three_points_below_18_percent(margin, expected):
    assert margin_score(Decimal(margin), DEFAULTS)[0] == expected


def test_margin_unknown_scores_zero_and_says_why():
    score, why = margin_score(None, DEFAULTS)
    assert score == 0
    assert "price" in why


def test_complexity_is_5_without_change_and_2_with_mold_or_colorant_change():
    assert complexity_score(False, DEFAULTS)[0] == 5
    assert complexity_score(True, DEFAULTS)[0] == 2


@pytest.mark.parametrize(
    ("requested", "expected"),
    [(6, "5"), (9, "5"), (12, "3"), (15, "1"), (20, "1"), (10, "4.33"), (14, "1.67"), (0, "5")],
)
def test_urgency_line_60_percent_scores_5_80_percent_3_100_percent_1(requested, expected):
    assert urgency_score(requested, 15, DEFAULTS)[0] == Decimal(expected)


@pytest.mark.parametrize(
    ("rate", "expected"), [("1", "5"), ("0.9", "5"), ("0.72", "4"), ("0.45", "2.5"), ("0", "0")]
)
def test_kitting_at_90_percent_scores_5_and_below_is_proportional(rate, expected):
    assert material_score(Decimal(rate), DEFAULTS)[0] == Decimal(expected)


def test_composite_is_the_weighted_sum_with_default_weights_30_25_20_15_10():
    # customer 4 (rank 20/100), margin 3 (13%), complexity 2, urgency 3 (80%), material 2.5 (45%)
    result = score_rush(
        inputs(
            customer_rank=20,
            margin_pct=Decimal(13),
            needs_mold_or_colorant_change=True,
            requested_lead_days=12,
            kitting_rate=Decimal("0.45"),
        )
    )
    scores = {d.key: d.score for d in result.dimensions}
    assert scores == {CUSTOMER: 4, MARGIN: 3, COMPLEXITY: 2, URGENCY: 3, MATERIAL: Decimal("2.5")}
    assert result.composite == Decimal("3.05")  # 1.2 + 0.75 + 0.4 + 0.45 + 0.25


def four_point_two(kitting_rate: Decimal) -> RushInputs:
    """Customer 4 (rank 20/100), margin 4 (16%), no change 5, urgency 4 (14 of 20 days = 70%)."""
    return inputs(
        customer_rank=20,
        margin_pct=Decimal(16),
        requested_lead_days=14,
        standard_lead_days=20,
        kitting_rate=kitting_rate,
    )


def test_composite_exactly_4_2_opens_the_rush_channel_at_once():
    # 0.3×4 + 0.25×4 + 0.2×5 + 0.15×4 + 0.1×4 = 1.2 + 1.0 + 1.0 + 0.6 + 0.4 = 4.2
    result = score_rush(four_point_two(kitting_rate=Decimal("0.72")))
    assert result.composite == Decimal("4.20")
    assert result.opens_at_once


def test_composite_just_below_4_2_needs_the_vp():
    # as above with kitting 71%: material 3.94 → composite 4.194 → 4.19
    result = score_rush(four_point_two(kitting_rate=Decimal("0.71")))
    assert result.composite == Decimal("4.19")
    assert not result.opens_at_once


def test_every_dimension_explains_its_score():
    result = score_rush(inputs(needs_mold_or_colorant_change=True, kitting_rate=Decimal("0.5")))
    assert [d.key for d in result.dimensions] == [CUSTOMER, MARGIN, COMPLEXITY, URGENCY, MATERIAL]
    assert all(d.why for d in result.dimensions)
    assert "mold or colorant change" in result.dimensions[2].why


def test_threshold_and_weights_are_configurable():
    settings = RushSettings.from_dict(
        {
            "threshold": "3",
            "weights": {
                "customer": "0.5",
                "margin": "0.5",
                "complexity": "0",
                "urgency": "0",
                "material": "0",
            },
        }
    )
    result = score_rush(inputs(customer_rank=60, margin_pct=Decimal(13)), settings)  # 2 and 3
    assert result.composite == Decimal("2.50")
    assert not result.opens_at_once
    assert score_rush(inputs(customer_rank=30, margin_pct=Decimal(13)), settings).opens_at_once


def test_bands_are_configurable():
    settings = RushSettings.from_dict({"margin_bands": [["30", "5"], ["10", "3"]], "margin_floor": "1"})
    assert margin_score(Decimal(25), settings)[0] == 3
    assert margin_score(Decimal(5), settings)[0] == 1


def test_settings_survive_a_round_trip_through_json():
    settings = RushSettings(threshold=Decimal("3.9"))
    assert RushSettings.from_dict(settings.to_dict()) == settings


def test_weights_that_do_not_add_up_to_100_percent_are_a_problem():
    settings = RushSettings.from_dict({"weights": {"customer": "0.5"}})
    assert "weights" in settings.problems()
    assert RushSettings().problems() == {}


def test_bands_out_of_order_are_a_problem():
    settings = RushSettings.from_dict({"margin_bands": [["6", "1"], ["18", "5"]]})
    assert "margin_bands" in settings.problems()
