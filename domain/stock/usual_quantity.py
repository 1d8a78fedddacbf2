"""How much of a SKU one move usually takes, so the phone can ask once more before an unusual one
(DESIGN §6: a quantity far above the usual, e.g. more than 10× the SKU's median move)."""

from decimal import Decimal
from statistics import median

from sqlalchemy import select

from domain.masterdata import Sku
from domain.stock.ledger import ISSUE, RECEIPT, RELOCATE_IN, SHIPMENT, TRANSFER_IN, StockMove
from extensions import db

SAMPLE = 200  # the SKU's latest moves: enough for a stable median, one small query
UNUSUAL_FACTOR = Decimal(10)
_KINDS = (RECEIPT, ISSUE, SHIPMENT, TRANSFER_IN, RELOCATE_IN)


def median_move(quantities: list[Decimal]) -> Decimal | None:
    """The median size of the moves (signs ignored); None without any."""
    sizes = [abs(q) for q in quantities if q]
    return Decimal(median(sizes)) if sizes else None


def usual_quantity(sku_code: str) -> dict:
    """{sku, unit, median, ask_above}: `ask_above` is the quantity above which the phone asks once more
    (None until the SKU has moves)."""
    sku = db.session.execute(select(Sku.id, Sku.unit).where(Sku.code == sku_code.strip())).first()
    if sku is None:
        return {"sku": sku_code, "unit": None, "median": None, "ask_above": None}
    rows = db.session.execute(
        select(StockMove.qty)
        .where(StockMove.sku_id == sku.id, StockMove.kind.in_(_KINDS))
        .order_by(StockMove.id.desc())
        .limit(SAMPLE)
    ).scalars()
    middle = median_move(list(rows))
    return {
        "sku": sku_code,
        "unit": sku.unit,
        "median": middle,
        "ask_above": None if middle is None else middle * UNUSUAL_FACTOR,
    }
