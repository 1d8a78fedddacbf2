"""The first article gates mass production (DESIGN §7), on plain values."""

from decimal import Decimal

from domain.quality import first_article_rules as rules

SAMPLE = Decimal(5)


def gate(latest_passed=None, required=True):
    return rules.Gate(required=required, sample_qty=SAMPLE, latest_passed=latest_passed)


def test_reporting_up_to_the_sample_is_allowed_without_an_inspection():
    assert not rules.refuses(gate(), Decimal(3), Decimal(2))
    assert rules.may_still_report(gate(), Decimal(3)) == Decimal(2)


def test_reporting_beyond_the_sample_is_refused_until_the_inspection_passed():
    assert rules.refuses(gate(), Decimal(3), Decimal(3))
    assert rules.refuses(gate(), Decimal(5), Decimal("0.5"))


def test_a_failed_inspection_keeps_the_gate_closed():
    assert rules.refuses(gate(latest_passed=False), Decimal(5), Decimal(1))
    assert gate(latest_passed=False).status == rules.FAILED


def test_a_passed_inspection_opens_the_gate():
    assert not rules.refuses(gate(latest_passed=True), Decimal(5), Decimal(1000))
    assert rules.may_still_report(gate(latest_passed=True), Decimal(5)) is None
    assert gate(latest_passed=True).status == rules.PASSED


def test_a_product_without_first_article_is_never_gated():
    assert not rules.refuses(gate(required=False), Decimal(0), Decimal(1000))
    assert not rules.waiting_for_inspection(gate(required=False), Decimal(1000))


def test_waiting_for_the_inspection_once_the_sample_is_made():
    assert not rules.waiting_for_inspection(gate(), Decimal(4))
    assert rules.waiting_for_inspection(gate(), Decimal(5))
    assert gate().status == rules.WAITING
    assert not rules.waiting_for_inspection(gate(latest_passed=True), Decimal(5))
