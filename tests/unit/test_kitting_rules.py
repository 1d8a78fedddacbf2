"""The kitting rule (DESIGN §5) on plain values."""

from decimal import Decimal

from domain.kitting import rules


def test_requirement_adds_the_scrap_allowance_and_rounds_up_to_the_gram():
    assert rules.required_qty(Decimal("0.05"), Decimal(2), Decimal(1000)) == Decimal(51)
    assert rules.required_qty(Decimal("0.0001"), Decimal(0), Decimal(3)) == Decimal("0.001")


def test_a_work_orders_own_reservation_is_available_to_it_and_others_are_not():
    held = {1: Decimal(10), 2: Decimal(5)}
    assert rules.available_for(Decimal(100), Decimal(0), held, 1) == Decimal(95)
    assert rules.available_for(Decimal(100), Decimal(20), held, 3) == Decimal(65)


def test_issuing_draws_a_reservation_down_never_below_zero():
    assert rules.open_reservation(Decimal(10), Decimal(4)) == Decimal(6)
    assert rules.open_reservation(Decimal(10), Decimal(12)) == 0


def test_a_line_already_issued_needs_only_the_rest():
    line = rules.line_status(7, Decimal(50), Decimal(30), Decimal(15))
    assert (line.still_needed, line.short, line.covered) == (Decimal(20), Decimal(5), False)


def test_negative_availability_is_short_of_the_whole_need_not_more():
    assert rules.line_status(7, Decimal(5), Decimal(0), Decimal(-3)).short == Decimal(5)


def test_rate_is_the_share_of_lines_covered():
    lines = [
        rules.line_status(1, Decimal(5), Decimal(0), Decimal(5)),
        rules.line_status(2, Decimal(5), Decimal(0), Decimal(4)),
        rules.line_status(3, Decimal(5), Decimal(5), Decimal(0)),
        rules.line_status(4, Decimal(5), Decimal(0), Decimal(0)),
    ]
    assert rules.kitting_rate(lines) == Decimal("0.5")
    assert rules.kitting_rate([]) == 1
