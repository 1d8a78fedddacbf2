"""The ERP's customer and price-list exports: their columns (Chinese or English headers) and one row
turned into the values the master-data schemas validate. Plain data in, plain data out."""

from collections.abc import Mapping, Sequence
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _

from domain.exchange.sheets import Column, cell_text
from domain.masterdata_admin.schemas import CustomerIn, PriceListEntryIn
from domain.validation_messages import flatten

CUSTOMERS, PRICES = "customers", "prices"

CUSTOMER_COLUMNS = (
    Column("code", ("客户编码", "客户代码", "客户编号", "code", "customer_code"), required=True),
    Column("name", ("客户名称", "名称", "name", "customer_name"), required=True),
    Column("address", ("地址", "客户地址", "address")),
    Column("lat", ("纬度", "lat", "latitude")),
    Column("lon", ("经度", "lon", "longitude")),
    Column("blocked", ("冻结", "是否冻结", "blocked")),
    Column("purchase_12m", ("近12个月采购额", "12个月采购额", "年采购额", "purchase_12m")),
)
PRICE_COLUMNS = (
    Column("customer_code", ("客户编码", "客户代码", "客户编号", "客户", "customer_code"), required=True),
    Column("product_model", ("产品型号", "型号", "product_model", "model"), required=True),
    Column("unit_price", ("单价", "销售单价", "unit_price"), required=True),
    Column("unit_cost", ("成本", "单位成本", "成本价", "unit_cost"), required=True),
    Column("currency", ("币种", "货币", "currency")),
)
COLUMNS = {CUSTOMERS: CUSTOMER_COLUMNS, PRICES: PRICE_COLUMNS}

YES = {"1", "y", "yes", "true", "是", "冻结", "已冻结", "停用"}
NO = {"", "0", "n", "no", "false", "否", "正常", "未冻结"}


class RowRefused(ValueError):
    """A row that cannot be applied; `reason` says why in words an ERP clerk can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _flag(value: Any, title: str) -> bool:
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowRefused(_("%(column)s: write 是 or 否 (yes or no).", column=title))


def _optional(value: Any) -> str | None:
    text = cell_text(value)
    return text or None


def _validated(schema: type[ma.Schema], data: dict[str, Any], titles: Mapping[str, str]) -> dict[str, Any]:
    try:
        return schema().load(data)
    except ma.ValidationError as error:
        found = flatten(error.messages)
        parts = [
            f"{titles.get(name, name)}: {text}" if name != "_body" else text for name, text in found.items()
        ]
        raise RowRefused("; ".join(parts)) from None


def customer_values(cells: Mapping[str, Any], titles: Mapping[str, str]) -> dict[str, Any]:
    """The CustomerIn values of one row; a column the file lacks keeps the schema's default, so a file
    without coordinates leaves them empty rather than failing."""
    data: dict[str, Any] = {"code": cell_text(cells.get("code")), "name": cell_text(cells.get("name"))}
    if "address" in cells:
        data["address"] = cell_text(cells["address"])
    for key in ("lat", "lon"):
        if key in cells:
            data[key] = _optional(cells[key])
    if "blocked" in cells:
        data["blocked"] = _flag(cells["blocked"], titles.get("blocked", "blocked"))
    if "purchase_12m" in cells and cell_text(cells["purchase_12m"]):
        data["purchase_12m"] = cell_text(cells["purchase_12m"]).replace(",", "")
    return _validated(CustomerIn, data, titles)


def price_values(
    cells: Mapping[str, Any], titles: Mapping[str, str], customer_id: int, product_id: int
) -> dict[str, Any]:
    """The PriceListEntryIn values of one row, once its customer and product are known."""
    data: dict[str, Any] = {
        "customer_id": customer_id,
        "product_id": product_id,
        "unit_price": cell_text(cells.get("unit_price")).replace(",", "") or None,
        "unit_cost": cell_text(cells.get("unit_cost")).replace(",", "") or None,
    }
    if "currency" in cells and cell_text(cells["currency"]):
        data["currency"] = cell_text(cells["currency"]).upper()
    return _validated(PriceListEntryIn, data, titles)


def json_table_kind(items: Sequence[Mapping[str, Any]]) -> str:
    """A JSON array's kind, from the keys of its first object."""
    keys = {str(k) for k in (items[0] if items else {})}
    model_labels = {label for label in PRICE_COLUMNS[1].labels}
    return PRICES if keys & model_labels else CUSTOMERS
