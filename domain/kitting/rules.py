"""The kitting rule (物料齐套, DESIGN §5) on plain values.

For one BOM line of a work order: required = BOM quantity × work order quantity × (1 + scrap %);
what is still needed = required − already issued to the work order; it is covered when the available
quantity reaches it. Available = on hand in every warehouse − quantities reserved for *other* work
orders (less what those have already drawn) − transfers requested out and not yet picked (stock
promised to leave). Stock picked onto a truck has already left the balances, so in-transit stock is
never counted and never subtracted twice. The kitting rate is the share of lines covered.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineStatus:
    sku_id: int
    required: Decimal
    issued: Decimal
    still_needed: Decimal
    available: Decimal

    @property
    def short(self) -> Decimal:
        return max(ZERO, self.still_needed - max(ZERO, self.available))

    @property
    def covered(self) -> bool:
        return self.short == 0


def required_qty(qty_per: Decimal, scrap_pct: Decimal | None, quantity: Decimal) -> Decimal:
    """Rounded up to the ledger's 3 places: a part-gram short is still short."""
    exact = qty_per * quantity * (1 + (scrap_pct or ZERO) / HUNDRED)
    return exact.quantize(Decimal("0.001"), rounding="ROUND_CEILING")


def open_reservation(reserved: Decimal, issued: Decimal) -> Decimal:
    """What a reservation still holds back: issuing to the work order draws it down."""
    return max(ZERO, reserved - issued)


def available_for(
    on_hand: Decimal, requested_out: Decimal, open_reservations: Mapping[int, Decimal], work_order_id: int
) -> Decimal:
    """Available to one work order: its own reservation is its stock, everyone else's is not."""
    others = sum((q for wo, q in open_reservations.items() if wo != work_order_id), ZERO)
    return on_hand - requested_out - others


def line_status(sku_id: int, required: Decimal, issued: Decimal, available: Decimal) -> LineStatus:
    return LineStatus(sku_id, required, issued, max(ZERO, required - issued), available)


def kitting_rate(lines: list[LineStatus]) -> Decimal:
    """Share of lines fully covered, 0..1; a work order that needs nothing is fully kitted."""
    if not lines:
        return Decimal(1)
    return Decimal(sum(1 for line in lines if line.covered)) / Decimal(len(lines))
