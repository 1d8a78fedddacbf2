"""Label sheets: cards (a QR code with readable text under it) for locations, SKUs, lots, work orders and
serial numbers, laid out on A4 sheets or one per 50×30 mm thermal label.

The cards of the plant's own locations, SKUs and lots are looked up in domain/labels/sheet_cards.py;
this module lays cards out and needs no database.

The page size lives in the sheet's stylesheet (`@page`), so the browser's print dialog (or a thermal
printer's driver) prints at the real size: pwa/css/labels-a4.css, pwa/css/labels-thermal.css.
"""

from dataclasses import dataclass
from functools import cached_property

from flask_babel import lazy_gettext as _l

from scanning.labels import SERIAL, WORK_ORDER, label_url
from scanning.qr import qr_svg

MAX_CARDS = 500  # one print job; a warehouse with more locations prints them by zone


@dataclass(frozen=True)
class SheetFormat:
    key: str
    name: object  # a lazy string
    stylesheet: str  # under pwa/
    per_page: int


FORMATS = {
    "a4": SheetFormat("a4", _l("A4 sheet, 3 × 8 labels of 70 × 37 mm"), "css/labels-a4.css", 24),
    "thermal": SheetFormat("thermal", _l("Thermal labels, 50 × 30 mm"), "css/labels-thermal.css", 1),
}


@dataclass(frozen=True)
class Card:
    """One label: the code's payload, a big title and a line or two under the code."""

    payload: str
    title: str
    lines: tuple[str, ...] = ()

    @cached_property
    def svg(self) -> str:
        return qr_svg(self.payload)


def pages(cards: list[Card], sheet: SheetFormat) -> list[list[Card]]:
    return [cards[i : i + sheet.per_page] for i in range(0, len(cards), sheet.per_page)]


@dataclass(frozen=True)
class ContainerQty:
    """The quantity packed in one container, and the key that signs it on the label."""

    qty: str
    key: bytes


NUMBER_KINDS = {WORK_ORDER: _l("Work order"), SERIAL: _l("Serial number")}


def number_cards(base: str, kind: str, numbers: list[str]) -> list[Card]:
    """Labels for work order or serial numbers as typed (one per line), each printed once."""
    unique = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))[:MAX_CARDS]
    return [Card(label_url(base, kind, number), number, (str(NUMBER_KINDS[kind]),)) for number in unique]
