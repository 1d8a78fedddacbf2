"""`flask stock-check`: every on-hand quantity must equal the sum of its ledger moves."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from domain.stock.ledger import StockBalance, StockMove
from extensions import db

Key = tuple[int, str, int]  # (sku_id, lot, location_id)


@dataclass(frozen=True)
class Mismatch:
    sku_id: int
    lot: str
    location_id: int
    on_hand: Decimal
    ledger: Decimal


@dataclass(frozen=True)
class StockCheck:
    balances: int
    mismatches: list[Mismatch]
    negative: list[Key]

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.negative


def check_stock() -> StockCheck:
    """Two aggregate reads compared in memory: a balance without moves, moves without a balance, and a
    balance that differs from its moves' sum are all mismatches."""
    on_hand: dict[Key, Decimal] = {
        (sku, lot, loc): qty
        for sku, lot, loc, qty in db.session.execute(
            select(StockBalance.sku_id, StockBalance.lot, StockBalance.location_id, StockBalance.qty)
        )
    }
    ledger: dict[Key, Decimal] = {
        (sku, lot, loc): total
        for sku, lot, loc, total in db.session.execute(
            select(StockMove.sku_id, StockMove.lot, StockMove.location_id, func.sum(StockMove.qty)).group_by(
                StockMove.sku_id, StockMove.lot, StockMove.location_id
            )
        )
    }
    zero = Decimal(0)
    mismatches = [
        Mismatch(*key, on_hand.get(key, zero), ledger.get(key, zero))
        for key in sorted(on_hand.keys() | ledger.keys())
        if on_hand.get(key, zero) != ledger.get(key, zero)
    ]
    negative = sorted(key for key, qty in on_hand.items() if qty < 0)
    return StockCheck(len(on_hand), mismatches, negative)
