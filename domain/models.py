"""Imports every model module so SQLAlchemy's metadata (and Alembic) sees all tables."""

from domain import audit, drawings, idempotency, masterdata, users  # noqa: F401
from domain.delivery import models as delivery_models  # noqa: F401
from domain.exchange import erp_sync, import_jobs  # noqa: F401
from domain.kitting import reservations  # noqa: F401
from domain.orders import changes, compliance_rules, rush_requests  # noqa: F401
from domain.orders import models as order_models  # noqa: F401
from domain.production import models as production_models  # noqa: F401
from domain.quality import defects, inspections, lots, shipments  # noqa: F401
from domain.service import tickets as service_tickets  # noqa: F401
from domain.stock import gps_fixes, ledger, transfers  # noqa: F401
