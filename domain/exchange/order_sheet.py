"""The plant's order sheet (订单表): its columns with the Chinese headers the old Excel template uses,
shared by the export, the blank template and the import."""

from domain.exchange.sheets import Column

ORDER_COLUMNS = (
    Column("number", ("订单号", "order_number", "number")),
    Column("customer_code", ("客户", "客户编码", "客户代码", "customer_code"), required=True),
    Column("product_model", ("产品型号", "型号", "product_model"), required=True),
    Column("quantity", ("数量", "quantity"), required=True),
    Column("unit_price", ("单价", "unit_price")),
    Column("price_override_reason", ("改价原因", "price_override_reason")),
    Column("due_date", ("交期", "交货日期", "due_date"), required=True),
    Column("priority", ("优先级", "priority")),
    Column("flame_grade", ("阻燃等级", "flame_grade")),
    Column("packaging", ("包装方式", "packaging")),
    Column("color_notes", ("颜色/材料备注", "颜色材料备注", "备注", "color_notes")),
    Column("original_ref", ("原始订单号", "客户订单号", "original_ref")),
    Column("stage", ("当前环节", "stage")),  # written by the export; an import ignores it
)
TITLES = {c.key: c.title for c in ORDER_COLUMNS}
WIDTHS = {"number": 18, "customer_code": 10, "product_model": 14, "color_notes": 24, "packaging": 14}

# The article's own words for the stages (DESIGN §3): the sheet is the plant's, in Chinese.
STAGE_NAMES = {
    "quote": "报价",
    "confirmed": "已确认",
    "scheduling": "排产中",
    "in_production": "生产中",
    "awaiting_qc": "待质检",
    "shipped": "已发货",
    "cancelled": "已取消",
}

# Compliance rule fields (DESIGN §3.1) that are not columns of the sheet: checked when the order is
# submitted for review, not on import (a drawing is uploaded per order, not typed into a cell).
NOT_IN_SHEET = frozenset({"sample_drawing"})
