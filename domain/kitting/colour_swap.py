"""Which material a colour change asks for (DESIGN §3.0), on plain values.

A colour-specific SKU (masterbatch, paint) names the colour it gives as words a customer's notes use,
e.g. "黑色|black". After the order's colour notes change, each colour line of a work order's material
list keeps its SKU when the new notes still name its colour, is swapped for the catalogue SKU whose
colour the new notes name (the longest word wins: "Cool Gray" over "Gray"), or, when no SKU of the new
colour is known, is flagged for re-kitting (None)."""

import re
from dataclasses import dataclass

SEPARATORS = re.compile(r"[|,，;；/、]")


@dataclass(frozen=True)
class ColourSku:
    sku_id: int
    colour: str  # "灰色|Cool Gray"

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w.strip().casefold() for w in SEPARATORS.split(self.colour) if w.strip())


def named_in(notes: str, sku: ColourSku) -> int:
    """The length of the longest of the SKU's colour words the notes contain (0: none)."""
    text = notes.casefold()
    return max((len(word) for word in sku.words if word in text), default=0)


def swaps(lines: list[ColourSku], catalogue: list[ColourSku], new_notes: str) -> dict[int, int | None]:
    """BOM line SKU id → the SKU id the new notes ask for (itself when unchanged), None to re-kit."""
    out: dict[int, int | None] = {}
    for line in lines:
        if named_in(new_notes, line):
            out[line.sku_id] = line.sku_id
            continue
        scored = [(named_in(new_notes, sku), sku.sku_id) for sku in catalogue if sku.sku_id != line.sku_id]
        best = max(scored, default=(0, 0))
        out[line.sku_id] = best[1] if best[0] else None
    return out
