"""Imports every model module so SQLAlchemy's metadata (and Alembic) sees all tables."""

from domain import (  # noqa: F401
    audit,
    changes,
    compliance_rules,
    drawings,
    idempotency,
    masterdata,
    orders,
    rush_orders,
    users,
)
from domain.delivery import models as delivery_models  # noqa: F401
from domain.exchange import erp_sync, import_jobs  # noqa: F401
from domain.kitting import reservations  # noqa: F401
from domain.production import models as production_models  # noqa: F401
from domain.quality import defects, inspections, lots, shipments  # noqa: F401
from domain.service import tickets as service_tickets  # noqa: F401
from domain.stock import gps_fixes, ledger, transfers  # noqa: F401
