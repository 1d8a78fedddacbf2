"""Transfer rules on plain values: the state machine, the in-transit pause, stock and room checks."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError
from domain.quantities import plain
from domain.stock.transfers import CANCELLED, IN_TRANSIT, PICKED, RECEIVED, REQUESTED

PAUSE_SHARE = Decimal("0.7")  # DESIGN §6: pause new requests above 70% of the SKU's safety stock in transit

STATE_LABELS = {
    REQUESTED: _l("requested"),
    PICKED: _l("picked"),
    IN_TRANSIT: _l("in transit"),
    RECEIVED: _l("received"),
    CANCELLED: _l("cancelled"),
}
# action → the state it starts from and the state it leads to
STEPS = {
    "pick": (REQUESTED, PICKED),
    "dispatch": (PICKED, IN_TRANSIT),
    "receive": (IN_TRANSIT, RECEIVED),
    "cancel": (REQUESTED, CANCELLED),
}


# Steps refused while the order the transfer serves is on hold or cancelled; receiving is not (goods
# already on the road must land somewhere).
STOPPED_STEPS = frozenset({"pick", "dispatch"})


def next_state(number: str, state: str, action: str, stopped_reason: str | None = None) -> str:
    """The state `action` leads to from `state`; a 409 `transfer_state_conflict` when it cannot be done,
    `transfer_stopped` when the order it serves stopped it."""
    if stopped_reason and action in STOPPED_STEPS:
        raise DomainError(
            "transfer_stopped",
            _("Transfer %(number)s is stopped: %(reason)s", number=number, reason=stopped_reason),
            status=409,
        )
    start, end = STEPS[action]
    if state != start:
        raise DomainError(
            "transfer_state_conflict",
            _(
                "Transfer %(number)s is %(state)s; it must be %(expected)s for this step.",
                number=number,
                state=STATE_LABELS[state],
                expected=STATE_LABELS[start],
            ),
            status=409,
        )
    return end


def transit_paused(in_transit: Decimal, safety_stock: Decimal) -> bool:
    """Paused while more than 70% of the safety stock is on the road. A safety stock of 0 means none
    was set, and then nothing is paused (otherwise any single transfer would pause its SKU)."""
    return safety_stock > 0 and in_transit > PAUSE_SHARE * safety_stock


def require_not_paused(sku_code: str, in_transit: Decimal, safety_stock: Decimal) -> None:
    if transit_paused(in_transit, safety_stock):
        raise DomainError(
            "transfer_paused_in_transit",
            _(
                "Transfers of %(sku)s are paused: %(in_transit)s are in transit, more than 70%% of its "
                "safety stock of %(safety)s. Receive some first.",
                sku=sku_code,
                in_transit=plain(in_transit),
                safety=plain(safety_stock),
            ),
            {"sku": _("paused while too much is in transit")},
        )


def require_available(available: Decimal, qty: Decimal, warehouse_code: str) -> None:
    """`available` is the source's on-hand less what earlier requests from it have reserved."""
    if qty > available:
        message = _(
            "Warehouse %(warehouse)s has %(available)s available for transfer; %(qty)s requested.",
            warehouse=warehouse_code,
            available=plain(max(available, Decimal(0))),
            qty=plain(qty),
        )
        raise DomainError("insufficient_stock", message, {"qty": message})


def picked_quantity(requested: Decimal, picked: Decimal | None) -> Decimal:
    """What a pick takes: the requested quantity unless the worker picked less (a short pick)."""
    amount = requested if picked is None else picked
    if not 0 < amount <= requested:
        message = _("Pick more than 0 and at most the %(qty)s requested.", qty=plain(requested))
        raise DomainError("invalid_quantity", message, {"qty": message})
    return amount


def require_received_quantity(received: Decimal) -> Decimal:
    if received < 0:
        message = _("The received quantity cannot be negative.")
        raise DomainError("invalid_quantity", message, {"qty": message})
    return received
