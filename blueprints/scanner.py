"""The phone scanner (DESIGN §6): scan a location, then an item, set the quantity and confirm.

The page itself only renders the screen and the texts it shows; everything it does runs in the browser
(pwa/js/scanner.js) against the stock and transfer API, so it keeps working offline from the service
worker's copy, with scans queued in an IndexedDB outbox (pwa/js/outbox.js).
"""

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from blueprints.access import roles_required
from domain.masterdata import Sku, Warehouse
from domain.roles import LEADER, SERVICE, WAREHOUSE
from domain.stock.ledger import ISSUE, RECEIPT, SHIPMENT
from domain.stock.starting_quantity import counted_by_weight
from extensions import db
from scanning.labels import known_bases

bp = Blueprint("scanner", __name__)

# What the worker does at the location; transfers go through their own API steps.
MOVE_KINDS = (
    (RECEIPT, _l("Receive")),
    (ISSUE, _l("Issue")),
    ("relocate", _l("Move between locations")),
    (SHIPMENT, _l("Ship")),
    ("count", _l("Count")),
    ("transfer_request", _l("Transfer request")),
    ("transfer_pick", _l("Transfer pick")),
    ("transfer_dispatch", _l("Transfer dispatch")),
    ("transfer_receive", _l("Transfer receive")),
)
# Offered (not imposed) when a transfer arrives short or over: the worker may type another reason.
DISCREPANCY_REASONS = (
    _l("Damaged in transit"),
    _l("Short shipped"),
    _l("Counted wrong at pick"),
    _l("More than sent"),
)
# Texts the script shows, translated here for the user's language.
TEXTS = {
    "locationNeeded": _l("Scan the location label on the rack first."),
    "itemNeeded": _l("Scan the item or lot label."),
    "transferNeeded": _l("Choose the transfer."),
    "qtyInvalid": _l("Enter a quantity above 0, with at most 3 decimal places."),
    "qtyRequired": _l("Quantity: enter how many."),
    "qtyWeighed": _l("Quantity: this item is weighed; enter the weight in %(unit)s."),
    "gpsWaiting": _l("Waiting for the GPS position…"),
    "gpsDenied": _l("Allow location access: stock moves need the phone's position."),
    "gpsFix": _l("GPS ±%(m)s m"),
    "foreign": _l("This code is not a label of Order Helper: %(text)s"),
    "invalidLabel": _l("This label of Order Helper is incomplete or damaged; print it again."),
    "notForMoves": _l("This label is not a location or an item."),
    "location": _l("Location %(name)s"),
    "queued": _l("Queued: %(what)s"),
    "done": _l("Done"),
    "sending": _l("Sending…"),
    "waiting": _l("Waiting for the network"),
    "retrying": _l("Busy on the server; trying again shortly"),
    "signIn": _l("Signed out: sign in again to send the queue."),
    "refused": _l("Refused"),
    "onHand": _l("on hand %(qty)s"),
    "cameraDenied": _l("The camera could not be opened: %(reason)s"),
    "cameraUnavailable": _l("This browser cannot use the camera; use the photo button or type the code."),
    "decoderFailed": _l("The code reader could not start: %(reason)s"),
    "photoNothing": _l("No code was found in the photo."),
    "photoFailed": _l("The photo could not be read: %(reason)s"),
    "transfersNone": _l("No transfer waits for this step."),
    "transfersOffline": _l("The transfer list needs the network; the last list seen is shown."),
    "dismiss": _l("Dismiss"),
    "otherUsers": _l("%(count)s scans of another user wait until they sign in on this phone."),
    "open": _l("Open"),
    "notVerified": _l("%(name)s (not yet verified)"),
    "transferOrder": _l("Sales or work order number"),
    "shipmentOrder": _l("Sales order number (scan its label or type it)"),
    "shipFor": _l("Ship against %(order)s: scan the items."),
    "shipOrderNeeded": _l("Scan or type the sales order this shipment is for."),
    "countNeeded": _l("Type the quantity counted on the shelf (0 if it is empty)."),
    "unusual": _l(
        "%(qty)s is far more than usual (about %(usual)s a move): check it, then tap Confirm again."
    ),
    "toNeeded": _l("Scan the label of the location the stock goes to."),
    "toLocation": _l("To %(name)s"),
    "orderNeeded": _l("Enter the sales or work order number this transfer is for."),
    "targetNeeded": _l("Choose the warehouse the stock goes to."),
    "discrepancy": _l("%(sent)s sent: why does the count differ?"),
    "reasonNeeded": _l("Say why the count differs from what was sent."),
}


@bp.get("/scan")
@roles_required(WAREHOUSE, LEADER, SERVICE)
def scan():
    """Warehouse workers move stock; team leaders and service technicians scan a label to open what it
    names (a work order, a serial number), as a plain phone camera would."""
    return render_template(
        "scanner/scan.html",
        can_move=current_user.has_any_role({WAREHOUSE}),
        user_id=current_user.id,
        kinds=MOVE_KINDS,
        warehouses=_warehouses(),
        discrepancy_reasons=[str(reason) for reason in DISCREPANCY_REASONS],
        texts={key: str(text) for key, text in TEXTS.items()},
        preset_location=request.args.get("loc", "")[:300],
        label_bases=list(known_bases()),
        weighed=_weighed_skus(),
        urls={
            "moves": "/api/v1/stock/moves",
            "transfers": "/api/v1/transfers",
            "decode": "/api/v1/scan/decode",
            "checkLocation": "/api/v1/scan/location",
            "checkContainer": "/api/v1/scan/container",
            "relocations": "/api/v1/stock/relocations",
            "counts": "/api/v1/stock/counts",
            "usualQuantity": "/api/v1/stock/usual-quantity",
            "self": url_for("scanner.scan"),
        },
    )


def _warehouses() -> list[tuple[str, str]]:
    """Active warehouses a transfer may go to, for the request's target list."""
    rows = db.session.execute(
        select(Warehouse.code, Warehouse.name).where(Warehouse.active).order_by(Warehouse.code)
    )
    return [(code, name) for code, name in rows]


def _weighed_skus() -> dict[str, str]:
    """SKU code → unit of the SKUs weighed, not counted: their quantity starts empty on the phone (the
    page is kept for offline use, so the rule holds without a network too)."""
    rows = db.session.execute(select(Sku.code, Sku.unit).where(Sku.active))
    return {code: unit for code, unit in rows if counted_by_weight(unit)}
