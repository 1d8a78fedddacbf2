"""The first article gates mass production (DESIGN §7), on plain values: a work order of a product that
needs a first article may report at most the product's sample quantity of good pieces (counted on its
first operation) until its latest first-article inspection has passed. Scrap is never gated."""

from dataclasses import dataclass
from decimal import Decimal

WAITING, PASSED, FAILED = "waiting", "passed", "failed"
DEFAULT_SAMPLE_QTY = 5  # pieces; Product.first_article_qty overrides it per product


@dataclass(frozen=True)
class Gate:
    required: bool  # the product needs a first article
    sample_qty: Decimal  # good pieces allowed before the inspection has passed
    latest_passed: bool | None  # the latest first-article inspection's verdict; None = none yet

    @property
    def status(self) -> str:
        if self.latest_passed is None:
            return WAITING
        return PASSED if self.latest_passed else FAILED

    @property
    def open(self) -> bool:
        """Output is not limited: no first article needed, or it has passed."""
        return not self.required or self.latest_passed is True


def may_still_report(gate: Gate, reported_good: Decimal) -> Decimal | None:
    """Good pieces that may still be reported before the inspection; None when not limited."""
    if gate.open:
        return None
    return max(Decimal(0), gate.sample_qty - reported_good)


def refuses(gate: Gate, reported_good: Decimal, good: Decimal) -> bool:
    """True when reporting `good` more pieces would go beyond the sample without a passed inspection."""
    left = may_still_report(gate, reported_good)
    return left is not None and good > left


def waiting_for_inspection(gate: Gate, reported_good: Decimal) -> bool:
    """The sample is made and QC's passed inspection is what production waits for."""
    left = may_still_report(gate, reported_good)
    return left is not None and left == 0
