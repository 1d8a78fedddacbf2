"""Rules for a single stock move, on plain values: which kinds the scanner may post, and the sign."""

from decimal import Decimal

from flask_babel import gettext as _

from domain.errors import DomainError
from domain.quantities import quantity, refused_quantity
from domain.stock.ledger import ADJUSTMENT, INBOUND, ISSUE, OUTPUT, RECEIPT, SHIPMENT

# transfer_out / transfer_in are written only by transfers, so a transfer's two ends always match it.
SCANNER_KINDS = (RECEIPT, ISSUE, OUTPUT, SHIPMENT, ADJUSTMENT)
MAX_REASON = 200


def signed_quantity(kind: str, qty: Decimal | str | float, reason: str | None = None) -> Decimal:
    """The ledger delta of a move: + for what comes in, − for what goes out; an adjustment carries its
    own sign and must say why."""
    if kind not in SCANNER_KINDS:
        raise DomainError(
            "move_kind_not_allowed",
            _("Moves of kind %(kind)s are not posted directly.", kind=kind),
            {"kind": _("one of %(kinds)s", kinds=", ".join(SCANNER_KINDS))},
        )
    amount = quantity(qty)
    if kind == ADJUSTMENT:
        if amount == 0:
            raise refused_quantity(_("An adjustment changes the quantity: it cannot be 0."))
        if not (reason or "").strip():
            raise DomainError(
                "adjustment_reason_required",
                _("Say why the stock is adjusted (counted, damaged, found ...)."),
                {"reason": _("required for an adjustment")},
            )
        return amount
    if amount <= 0:
        raise refused_quantity(_("The quantity must be more than 0."))
    return amount if kind in INBOUND else -amount


def needs_order_reference(kind: str) -> bool:
    """A shipment leaves for a customer, so it names the sales order it fulfils (forward trace)."""
    return kind == SHIPMENT
