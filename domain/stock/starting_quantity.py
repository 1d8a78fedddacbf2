"""What the phone's quantity field holds when an item is scanned (DESIGN §6: the quantity in view next
to Confirm). A container label's printed quantity is taken as it is; a piece-counted item starts at 1 (a
box scanned again counts it); an item sold by weight has no sensible default, so the field starts empty
and the worker must enter what was weighed. pwa/js/scanner.js applies the same rule on the phone,
offline too, from the weighed SKUs the scanner page lists."""

from dataclasses import dataclass
from decimal import Decimal

# Units a quantity is weighed in, never counted: there, "1" would be a guess.
WEIGHT_UNITS = frozenset({"kg", "g", "mg", "t", "lb", "公斤", "千克", "克", "吨"})


@dataclass(frozen=True)
class StartingQuantity:
    value: str  # what the field shows; "" when the worker must enter it

    @property
    def must_enter(self) -> bool:
        """Confirm is refused, naming the field, until the worker enters a quantity."""
        return not self.value


def counted_by_weight(unit: str | None) -> bool:
    return (unit or "").strip().lower() in WEIGHT_UNITS


def default_quantity(unit: str | None) -> Decimal | None:
    """The quantity one scan of the item stands for, None when it cannot be assumed."""
    return None if counted_by_weight(unit) else Decimal(1)


def starting_quantity(
    unit: str | None, label_qty: str | None = None, counting: bool = False
) -> StartingQuantity:
    """The field's value after a scan: the label's quantity, else the unit's default, else empty.
    `counting`: a stock count, always typed (the shelf may hold anything, 0 included)."""
    if counting:
        return StartingQuantity("")
    if label_qty:
        return StartingQuantity(format(Decimal(label_qty).normalize(), "f"))
    default = default_quantity(unit)
    if default is None:
        return StartingQuantity("")
    return StartingQuantity(format(default, "f"))
