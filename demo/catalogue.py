"""The demo plant's fixed data: an injection-molding plant in 长安镇 (Dongguan), its people and customers."""

from dataclasses import dataclass, field
from decimal import Decimal

# ---- people (one per role, plus a leader for each team) ----


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    roles: tuple[str, ...]


PEOPLE = (
    Person("admin", "王建国", ("admin",)),
    Person("sales", "李晓梅", ("sales",)),
    Person("planner", "陈志强", ("planner",)),
    Person("warehouse", "张伟东", ("warehouse",)),
    Person("supervisor", "林国栋", ("supervisor", "warehouse")),  # approves large adjustments too
    Person("leader", "刘德胜", ("leader",)),
    Person("qc", "黄丽娟", ("qc",)),
    Person("service", "赵明辉", ("service",)),
    Person("cs", "周婷", ("cs",)),
    Person("vp", "吴国华", ("vp",)),
    Person("leader2", "孙海涛", ("leader",)),
    Person("leader3", "何金凤", ("leader",)),
    Person("leader4", "郑永强", ("leader",)),
)

# ---- plant structure ----

WORKSHOPS = (("WS-IM", "注塑车间"), ("WS-SP", "喷涂车间"), ("WS-AS", "装配车间"))

# (code, name, workshop, leader's username); the demo login "leader" leads the first team.
TEAMS = (
    ("T-IM1", "注塑一班", "WS-IM", "leader"),
    ("T-IM2", "注塑二班", "WS-IM", "leader2"),
    ("T-SP1", "喷涂丝印班", "WS-SP", "leader3"),
    ("T-AS1", "装配包装班", "WS-AS", "leader4"),
)


@dataclass(frozen=True)
class WarehouseSpec:
    code: str
    name: str
    address: str
    origin: tuple[float, float]  # lon, lat (WGS 84) of the yard's first corner
    corners_m: tuple[tuple[float, float], ...]  # east, north offsets of the outline, in metres
    bearing_deg: float  # the street grid's rotation, anticlockwise
    capacity: int  # pallet positions (the handling unit of both yards)
    zones: tuple[tuple[str, str, int, int], ...]  # zone letter, zone name, racks, levels per rack


# Two blocks of the plant on 振安中路 in 长安镇 (Chang'an, Dongguan), about 300 m apart.
WAREHOUSES = (
    WarehouseSpec(
        "WH-RM",
        "原料仓",
        "广东省东莞市长安镇上沙社区振安中路 168 号 A 栋",
        (113.79680, 22.80620),
        ((0, 0), (180, 0), (180, 110), (0, 110)),
        15.0,
        400,
        (("A", "树脂区", 2, 4), ("B", "辅料区", 1, 4)),
    ),
    WarehouseSpec(
        "WH-FG",
        "成品仓",
        "广东省东莞市长安镇上沙社区振安中路 168 号 C 栋",
        (113.79980, 22.80700),
        ((0, 0), (240, 0), (240, 90), (150, 90), (150, 170), (0, 170)),
        15.0,
        600,
        (("A", "待发货区", 2, 4), ("B", "成品存储区", 2, 4)),
    ),
)

# (code, name, address, lat, lon)
SERVICE_POINTS = (
    ("SP-SZBA", "深圳宝安售后服务点", "深圳市宝安区福永街道福海工业区 12 栋", 22.6880, 113.8200),
    ("SP-GZPY", "广州番禺售后服务点", "广州市番禺区大石街道工业路 45 号", 23.0110, 113.3150),
    ("SP-FSSD", "佛山顺德售后服务点", "佛山市顺德区北滘镇工业大道 8 号", 22.9250, 113.2080),
)

# ---- customers: (code, name, address, lat, lon, 12-month purchases in CNY, blocked) ----

# fmt: off
CUSTOMERS = (
    ("C001", "东莞市华辉电子科技有限公司", "东莞市长安镇霄边社区兴发南路 38 号",
     22.8290, 113.8120, 12_800_000, False),
    ("C002", "深圳市鼎泰智能电器有限公司", "深圳市宝安区福永街道凤凰第三工业区 A 栋",
     22.6762, 113.8245, 9_650_000, False),
    ("C003", "东莞市精联连接器有限公司", "东莞市清溪镇青湖工业区青湖路 9 号",
     22.8360, 114.1560, 6_980_000, False),
    ("C004", "广州市盛邦电器有限公司", "广州市番禺区石碁镇金山大道东 102 号",
     22.9570, 113.4490, 4_320_000, False),
    ("C005", "佛山市顺德区美格电器制造有限公司", "佛山市顺德区北滘镇工业园兴业路 6 号",
     22.9210, 113.2110, 3_860_000, False),
    ("C006", "中山市明辉照明电器有限公司", "中山市古镇镇东兴东路 27 号",
     22.6130, 113.1870, 2_750_000, False),
    ("C007", "惠州市科联通讯设备有限公司", "惠州市仲恺高新区和畅五路 31 号",
     23.0240, 114.3050, 2_410_000, False),
    ("C008", "深圳市安捷电源技术有限公司", "深圳市龙华区观澜街道大富工业区 5 栋",
     22.7210, 114.0480, 2_180_000, False),
    ("C009", "东莞市松湖智能科技有限公司", "东莞市松山湖高新区工业西路 16 号",
     22.9080, 113.8830, 1_960_000, False),
    ("C010", "珠海市恒达电子有限公司", "珠海市香洲区南屏科技工业园屏北一路 3 号",
     22.2280, 113.5200, 1_720_000, False),
    ("C011", "江门市新会区宏发五金塑料制品厂", "江门市新会区今古洲经济开发区 18 号",
     22.4680, 113.0480, 1_480_000, False),
    ("C012", "东莞市虎门恒信电器有限公司", "东莞市虎门镇北栅社区东坊路 66 号",
     22.8380, 113.6570, 1_350_000, False),
    ("C013", "深圳市光明新锐科技有限公司", "深圳市光明区公明街道上村工业区 B 区",
     22.7780, 113.8950, 1_210_000, False),
    ("C014", "广州市白云区雅丽家电配件厂", "广州市白云区太和镇大源北路 201 号",
     23.3240, 113.3430, 1_090_000, False),
    ("C015", "佛山市南海区金辉电器配件有限公司", "佛山市南海区狮山镇科技工业园 C 区",
     23.1360, 113.0050, 980_000, False),
    ("C016", "东莞市厚街宏达电子厂", "东莞市厚街镇赤岭工业区赤岭路 12 号",
     22.9230, 113.6600, 870_000, False),
    ("C017", "中山市小榄镇正泰五金电器厂", "中山市小榄镇永宁工业大道 58 号",
     22.6700, 113.2500, 790_000, False),
    ("C018", "深圳市瑞丰智能家居有限公司", "深圳市坪山区坑梓街道秀新工业区 7 栋",
     22.7450, 114.3830, 720_000, False),
    ("C019", "惠州市博罗县永兴电子有限公司", "惠州市博罗县园洲镇上南工业区",
     23.1180, 114.0020, 650_000, False),
    ("C020", "东莞市大朗精诚塑胶电子有限公司", "东莞市大朗镇松柏朗工业区 21 号",
     22.9380, 113.9450, 580_000, False),
    ("C021", "东莞市塘厦华美电器有限公司", "东莞市塘厦镇林村工业区 3 号",
     22.8000, 114.0780, 510_000, False),
    ("C022", "深圳市宝龙安防科技有限公司", "深圳市龙岗区宝龙街道宝龙四路 9 号",
     22.7150, 114.2780, 460_000, False),
    ("C023", "广州市科创医疗器械有限公司", "广州市黄埔区科学城揽月路 80 号",
     23.1700, 113.4550, 410_000, False),
    ("C024", "佛山市禅城区骏马电器厂", "佛山市禅城区张槎街道海口工业区",
     23.0450, 113.0820, 350_000, False),
    ("C025", "东莞市凤岗恒昌电子有限公司", "东莞市凤岗镇油甘埔工业区 15 号",
     22.7440, 114.1410, 300_000, False),
    ("C026", "珠海市斗门区汇通电器有限公司", "珠海市斗门区井岸镇新青工业区",
     22.2060, 113.2960, 260_000, False),
    ("C027", "东莞市石碣镇宏远电子厂", "东莞市石碣镇西南工业区 4 号",
     23.1000, 113.8050, 210_000, True),
    ("C028", "中山市坦洲镇锦华灯饰有限公司", "中山市坦洲镇界狮南路 112 号",
     22.2660, 113.4690, 160_000, False),
    ("C029", "深圳市华强数码配件商行", "深圳市福田区华强北路赛格广场 2 楼",
     22.5430, 114.0850, 95_000, True),
    ("C030", "江门市蓬江区永安电子有限公司", "江门市蓬江区棠下镇滨江工业区",
     22.6400, 113.0200, 60_000, False),
)
# fmt: on

# ---- SKUs ----


@dataclass(frozen=True)
class SkuSpec:
    code: str
    name: str
    unit: str
    kind: str
    safety_stock: int
    unit_cost: Decimal  # CNY per unit: what the demo prices are built from; not stored
    per_pallet: int  # units per pallet position: warehouse capacity counts pallets, never g + pcs


def _weighed(code: str, name: str, cny_per_kg: str, safety_kg: int, kg_per_pallet: int = 1000) -> SkuSpec:
    """Resins, masterbatch, paint and ink are counted in grams: BomLine.qty_per keeps 3 decimals,
    and a 1 g connector's 2 % masterbatch (0.02 g) would vanish in kilograms. A pallet of resin
    holds 40 bags of 25 kg."""
    unit_cost = Decimal(cny_per_kg) / 1000
    return SkuSpec(code, name, "g", "material", safety_kg * 1000, unit_cost, kg_per_pallet * 1000)


def _counted(code: str, name: str, kind: str, cny: str, safety: int, per_pallet: int) -> SkuSpec:
    return SkuSpec(code, name, "pcs", kind, safety, Decimal(cny), per_pallet)


SKUS = (
    _weighed("R-PC-2805", "PC 树脂 科思创 Makrolon 2805 (通用级)", "21.0", 2000),
    _weighed("R-PC-945", "PC 树脂 SABIC Lexan 945 (阻燃 V-0)", "26.5", 3000),
    _weighed("R-ABS-757", "ABS 树脂 奇美 PA-757 (通用级)", "14.5", 5000),
    _weighed("R-ABS-765A", "ABS 树脂 奇美 PA-765A (阻燃 V-0)", "19.0", 1500),
    _weighed("R-PCABS-C1200", "PC/ABS 合金 SABIC Cycoloy C1200HF", "23.0", 1500),
    _weighed("R-PP-K8003", "PP 树脂 中石化 K8003 (抗冲共聚)", "9.5", 3000),
    _weighed("R-PA66-70G30", "PA66 树脂 杜邦 Zytel 70G30HSL (30% 玻纤)", "31.0", 1000),
    _weighed("R-PA66-A3X2G5", "PA66 树脂 巴斯夫 Ultramid A3X2G5 (25% 玻纤, 阻燃 V-0)", "38.0", 1000),
    _weighed("MB-BK01", "黑色母粒 (通用载体)", "28.0", 200, 500),
    _weighed("MB-WH01", "白色母粒 (钛白 50%)", "32.0", 200, 500),
    _weighed("MB-GY01", "灰色母粒 (Pantone Cool Gray 9C)", "36.0", 100, 500),
    _weighed("MB-BL01", "蓝色母粒 (Pantone 2945C)", "42.0", 50, 500),
    _weighed("PT-PU-BK", "黑色哑光 PU 漆 (含固化剂)", "68.0", 150, 400),
    _weighed("INK-WH", "白色丝印油墨", "120.0", 20, 200),
    _counted("IN-M2-3", "铜螺母嵌件 M2×3", "part", "0.05", 50_000, 200_000),
    _counted("IN-M25-4", "铜螺母嵌件 M2.5×4", "part", "0.06", 50_000, 150_000),
    _counted("IN-M3-5", "铜螺母嵌件 M3×5", "part", "0.08", 80_000, 100_000),
    _counted("IN-PIN-064", "镀锡端子 0.64 mm", "part", "0.03", 200_000, 500_000),
    _counted("PK-CTN-01", "五层瓦楞纸箱 445×345×300", "material", "4.50", 2000, 250),
    _counted("PK-CTN-02", "五层瓦楞纸箱 365×245×200", "material", "3.20", 3000, 400),
    _counted("PK-PE-01", "PE 自封袋 200×300", "material", "0.05", 20_000, 50_000),
    _counted("PK-ESD-01", "防静电屏蔽袋 250×350", "material", "0.60", 5000, 20_000),
    _counted("PK-TRY-01", "黑色 PET 吸塑托盘 (20 格)", "material", "1.20", 3000, 2000),
)
SKU_BY_CODE = {sku.code: sku for sku in SKUS}
# The colour each colour-specific material gives, in the words customers' notes use: a colour change
# on an order swaps its masterbatch for the one of the new colour (domain/kitting/colour_swap.py).
SKU_COLOURS = {
    "MB-BK01": "黑色|black",
    "MB-WH01": "白色|white",
    "MB-GY01": "灰色|Cool Gray|grey|gray",
    "MB-BL01": "蓝色|blue|2945C",
    "PT-PU-BK": "黑色|black",
}
FINISHED_PER_PALLET = 2000  # moulded housings in cartons: pieces per pallet position

COLOURS = {  # colour key → (masterbatch SKU, colorant text on the product)
    "BK": ("MB-BK01", "黑色 MB-BK01 (2%)"),
    "WH": ("MB-WH01", "白色 MB-WH01 (2%)"),
    "GY": ("MB-GY01", "灰色 MB-GY01 Cool Gray 9C (2%)"),
    "BL": ("MB-BL01", "蓝色 MB-BL01 Pantone 2945C (2%)"),
}
NATURAL = "本色 (不加色母)"
MASTERBATCH_RATIO = Decimal("0.02")

# ---- products ----


@dataclass(frozen=True)
class ProductSpec:
    model: str
    name: str
    resin: str
    colour: str | None  # a COLOURS key; None = natural
    grams: Decimal  # part weight
    cavities: int
    lead_days: int
    flame: str
    finish: tuple[str, ...] = ()  # "spray", "print"
    inserts: tuple[tuple[str, int], ...] = field(default=())

    @property
    def family(self) -> str:
        return self.model.split("-")[1]


def _p(model, name, resin, colour, grams, cavities, lead, flame, finish="", inserts=()) -> ProductSpec:
    return ProductSpec(
        model,
        name,
        f"R-{resin}",
        colour,
        Decimal(str(grams)),
        cavities,
        lead,
        flame,
        tuple(finish.split("+")) if finish else (),
        tuple(inserts),
    )


PRODUCTS = (
    _p("OH-HS-1203", "路由器上壳", "ABS-757", "WH", 85, 2, 15, "HB", "print"),
    _p("OH-HS-1204", "路由器下壳", "ABS-757", "WH", 92, 2, 15, "HB"),
    _p("OH-HS-1310", "充电器外壳", "PC-945", "WH", 18, 4, 12, "V-0"),
    _p("OH-HS-1311", "快充适配器上盖", "PC-945", "WH", 14, 8, 12, "5VA", "print"),
    _p("OH-HS-1420", "智能电表底壳", "PC-945", "GY", 160, 1, 20, "V-0", "", [("IN-M3-5", 4)]),
    _p("OH-HS-1421", "智能电表透明上盖", "PC-2805", None, 120, 1, 20, "V-2"),
    _p("OH-HS-1502", "电动牙刷外壳", "PCABS-C1200", "BL", 22, 4, 18, "HB", "spray"),
    _p("OH-HS-1608", "蓝牙音箱外壳", "ABS-757", "BK", 210, 1, 25, "HB", "spray+print"),
    _p("OH-HS-1711", "电源适配器外壳", "PC-945", "BK", 48, 2, 14, "V-0"),
    _p("OH-HS-1805", "安防摄像头外壳", "PCABS-C1200", "WH", 75, 2, 22, "V-1", "spray", [("IN-M2-3", 3)]),
    _p("OH-HS-1906", "吸尘器电池仓外壳", "ABS-765A", "GY", 130, 1, 20, "V-0", "", [("IN-M3-5", 2)]),
    _p("OH-BZ-2101", "空调面板装饰框", "ABS-757", "WH", 140, 1, 18, "HB", "spray"),
    _p("OH-BZ-2102", "显示器前框", "PCABS-C1200", "BK", 260, 1, 25, "V-1", "spray"),
    _p("OH-BZ-2205", "洗衣机控制面板框", "ABS-757", "GY", 95, 1, 16, "HB", "print"),
    _p("OH-BZ-2310", "智能门锁面框", "PCABS-C1200", "BK", 110, 1, 28, "HB", "spray", [("IN-M25-4", 4)]),
    _p("OH-BZ-2312", "电梯按钮面板框", "PC-945", "GY", 60, 2, 20, "V-0", "print"),
    _p("OH-BZ-2401", "车载中控装饰框", "PCABS-C1200", "BK", 150, 1, 30, "V-1", "spray"),
    _p("OH-CN-3101", "2.54 mm 排针座 8P", "PA66-A3X2G5", "BK", 1.2, 16, 10, "V-0", "", [("IN-PIN-064", 8)]),
    _p("OH-CN-3102", "2.54 mm 排针座 12P", "PA66-A3X2G5", "BK", 1.8, 16, 10, "V-0", "", [("IN-PIN-064", 12)]),
    _p("OH-CN-3205", "电源端子座 3P", "PA66-A3X2G5", "BK", 4.5, 8, 12, "V-0", "", [("IN-PIN-064", 3)]),
    _p("OH-CN-3210", "USB-C 连接器外壳", "PA66-A3X2G5", "BK", 0.8, 32, 10, "V-0"),
    _p("OH-CN-3301", "汽车线束护套 6P", "PA66-70G30", None, 3.2, 8, 14, "HB"),
    _p("OH-CN-3302", "汽车线束护套 10P", "PA66-70G30", "BK", 5.0, 8, 14, "HB"),
    _p("OH-CN-3408", "光伏接线盒外壳", "PC-945", "BK", 85, 2, 21, "5VA", "", [("IN-M3-5", 2)]),
    _p("OH-KY-4102", "遥控器按键帽", "ABS-757", "BK", 2.0, 16, 10, "HB", "print"),
    _p("OH-KY-4105", "电饭煲按键", "ABS-757", "WH", 3.5, 8, 10, "HB", "print"),
    _p("OH-KY-4210", "开关按键面板", "PC-945", "WH", 12, 4, 12, "V-2"),
    _p("OH-BR-5101", "LED 灯板支架", "PA66-70G30", "BK", 25, 4, 12, "HB", "", [("IN-M3-5", 2)]),
    _p("OH-BR-5104", "硬盘托架", "PCABS-C1200", "BK", 40, 2, 15, "V-0", "", [("IN-M3-5", 4)]),
    _p("OH-BR-5206", "风扇支架", "PP-K8003", "GY", 65, 2, 12, "HB"),
    _p("OH-BR-5302", "电池固定支架", "PA66-A3X2G5", "BK", 18, 4, 14, "V-0"),
    _p("OH-LS-6101", "LED 球泡灯罩", "PC-2805", "WH", 22, 4, 12, "V-2"),
    _p("OH-LS-6105", "吸顶灯面罩", "PC-2805", "WH", 320, 1, 20, "V-2"),
    _p("OH-LS-6208", "筒灯反光杯", "PC-945", "WH", 30, 2, 15, "V-0", "spray"),
    _p("OH-BC-7101", "遥控器电池盖", "ABS-757", "BK", 4, 8, 10, "HB"),
    _p("OH-BC-7203", "无线鼠标电池盖", "PCABS-C1200", "BK", 6, 4, 12, "HB", "spray"),
    _p("OH-BS-8102", "电热水壶底座", "PP-K8003", "BK", 180, 1, 18, "HB", "", [("IN-M3-5", 3)]),
    _p("OH-BS-8105", "台灯底座", "ABS-757", "WH", 240, 1, 20, "HB", "spray"),
    _p("OH-BS-8210", "加湿器底座", "PP-K8003", "WH", 210, 1, 18, "HB"),
    _p("OH-BS-8301", "无线充电座底壳", "PC-945", "BK", 45, 2, 16, "V-0", "print", [("IN-M2-3", 2)]),
)

# Colour and material notes salespeople write on orders, by colour key (None = natural).
COLOUR_NOTES = {
    "BK": ("黑色哑光，色差 ΔE≤1.0", "黑色，按客户签样，表面不得有缩水", "黑色高光，不得有流痕、银纹"),
    "WH": ("白色，按客户签样 RAL 9003", "白色，色差 ΔE≤0.8，不得黄变", "白色哑光，外观面无熔接线"),
    "GY": ("灰色 Cool Gray 9C，按签样", "灰色，色差 ΔE≤1.0"),
    "BL": ("蓝色 Pantone 2945C，按签样", "蓝色，批次间色差 ΔE≤1.0"),
    None: ("本色，不加色母", "本色透明，不得有黑点、气泡"),
}
