"""What a leader's phone receives for a task card (JSON-safe), over Socket.IO and the API alike."""

from decimal import Decimal
from typing import Any

from domain.production import models as m
from domain.quality import first_article_gate
from domain.quantities import plain


def _at(value) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def _qty(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def card_payload(card: m.TaskCard) -> dict[str, Any]:
    work_order = card.work_order
    return {
        "id": card.id,
        "seq": card.seq,
        "team_id": card.team_id,
        "status": card.status,
        "status_label": str(m.CARD_STATUS_LABELS[card.status]),
        "title": card.title,
        "product_model": card.product_model,
        "product_id": work_order.product_id,
        "quantity": _qty(card.quantity),
        "due_date": card.due_date.isoformat() if card.due_date else None,
        "note": card.note,
        "created_at": _at(card.created_at),
        "acknowledged_at": _at(card.acknowledged_at),
        "started_at": _at(card.started_at),
        "finished_at": _at(card.finished_at),
        "work_order": {
            "id": work_order.id,
            "number": work_order.number,
            "status": work_order.status,
            "order_id": work_order.order_id,
            "order_number": work_order.order.number,
            "good_qty": _qty(work_order.good_qty),
            "scrap_qty": _qty(work_order.scrap_qty),
            "planned_start": _at(work_order.planned_start),
            "planned_end": _at(work_order.planned_end),
            "stop_reason": work_order.stop_reason,
        },
        "first_article": first_article_gate.payload(work_order),
        "operations": [
            {
                "seq": op.seq,
                "name": op.name,
                "workshop": op.workshop.name if op.workshop else None,
                "machine": op.machine.code if op.machine else None,
                "status": op.status,
                "planned_start": _at(op.planned_start),
                "planned_end": _at(op.planned_end),
            }
            for op in work_order.operations
        ],
    }
