"""Transfer discrepancies (received ≠ picked) as the warehouse supervisor reviews them, newest first."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from domain import keyset
from domain.masterdata import Warehouse
from domain.stock.transfers import Transfer, TransferDiscrepancy


def list_discrepancies(
    warehouse: str | None = None, limit: int = 100, cursor: str | None = None
) -> keyset.Page:
    """Every discrepancy with its transfer (SKU, warehouses) and who counted, loaded with the page."""
    stmt = select(TransferDiscrepancy).options(
        joinedload(TransferDiscrepancy.transfer).options(
            selectinload(Transfer.sku),
            selectinload(Transfer.from_warehouse),
            selectinload(Transfer.to_warehouse),
        ),
        selectinload(TransferDiscrepancy.recorded_by),
    )
    if warehouse:
        stmt = stmt.join(Transfer, Transfer.id == TransferDiscrepancy.transfer_id).where(
            Transfer.to_warehouse_id.in_(select(Warehouse.id).where(Warehouse.code == warehouse))
        )
    return keyset.by_id(
        stmt, TransferDiscrepancy.id, scope="discrepancies", limit=limit, cursor=cursor, newest_first=True
    )
