"""Material availability for rush scoring (DESIGN §5 rule): the share of BOM lines fully covered."""

from decimal import Decimal

from domain.kitting.estimate import covered_share, line_requirement


def test_requirement_is_bom_quantity_times_order_quantity_plus_scrap():
    assert line_requirement(Decimal("0.2"), Decimal(5), Decimal(1000)) == Decimal("210")


def test_share_counts_only_lines_fully_covered():
    needs = {1: Decimal(100), 2: Decimal(50), 3: Decimal(10), 4: Decimal(1)}
    stock = {1: Decimal(100), 2: Decimal("49.999"), 3: Decimal(500)}
    assert covered_share(needs, stock) == Decimal("0.5")


def test_bom_without_lines_needs_nothing_and_is_fully_kitted():
    assert covered_share({}, {}) == 1
