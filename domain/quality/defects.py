"""Defect reports on a lot (DESIGN §7): what was found, by whom, and the affected lots at that moment."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.clock import utcnow
from extensions import db


class DefectReport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id"), index=True)
    description: Mapped[str] = mapped_column(String(1000))
    # widened: the report also covers every lot made from the same material (a material defect)
    widened: Mapped[bool] = mapped_column(default=False)
    affected: Mapped[dict | None] = mapped_column(JSON)  # counts at report time, for the record
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
