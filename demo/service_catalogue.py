"""The demo plant's after-sales world as plain data: spare parts, and per product model the fault
families customers report, each with the part that usually fixes it (used by demo_service.py)."""

from dataclasses import dataclass

# (code, name) — spare parts kept at the service points (SKU kind "part")
SPARE_PARTS = (
    ("SV-CLIP-RT", "路由器外壳卡扣组件 (上下壳, 10 个装)"),
    ("SV-HSG-1203", "路由器上壳 OH-HS-1203 整壳 (白)"),
    ("SV-HSG-1204", "路由器下壳 OH-HS-1204 整壳 (白)"),
    ("SV-FOOT-RT", "路由器防滑脚垫 (4 个装)"),
    ("SV-HSG-1310", "充电器外壳 OH-HS-1310 (PC V-0)"),
    ("SV-PIN-AC", "充电器插脚固定座"),
    ("SV-INS-M3", "铜螺母嵌件 M3×5 热熔修复套件"),
    ("SV-SEAL-1420", "电表底壳防水密封圈"),
    ("SV-CVR-1421", "电表透明上盖 OH-HS-1421"),
    ("SV-LBL-1421", "电表铭牌贴膜"),
    ("SV-DOME-1805", "摄像头透明球罩"),
    ("SV-SEAL-1805", "摄像头防水胶圈"),
    ("SV-INS-M2", "铜螺母嵌件 M2×3 热熔修复套件"),
    ("SV-FRM-2310", "门锁面框 OH-BZ-2310 (黑)"),
    ("SV-INS-M25", "铜螺母嵌件 M2.5×4 热熔修复套件"),
    ("SV-PAINT-BK", "黑色哑光修补漆笔"),
    ("SV-PIN-064", "镀锡端子 0.64 mm 替换包 (20 个)"),
    ("SV-HSG-3205", "电源端子座 3P 外壳"),
    ("SV-LATCH-3301", "线束护套锁扣 6P"),
    ("SV-HSG-3301", "线束护套 6P 整件"),
    ("SV-KEY-4102", "遥控器按键帽整套"),
    ("SV-SPR-4102", "遥控器按键导电胶垫"),
)


@dataclass(frozen=True)
class FaultFamily:
    part: str
    symptoms: tuple[str, ...]
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelFaults:
    model: str
    thing: str  # what the customer calls the product
    families: tuple[FaultFamily, ...]


_CLIP = FaultFamily(
    "SV-CLIP-RT",
    ("卡扣断裂", "卡扣断了", "扣位断掉", "卡扣处开裂", "上下壳扣不上", "卡扣发白断开"),
    ("装配时听到咔的一声", "拆过一次后扣不紧", "晃动有异响", "外壳一角翘起"),
)
_BOSS_M3 = FaultFamily(
    "SV-INS-M3",
    ("螺丝柱开裂", "螺丝柱爆裂", "螺丝孔滑牙", "螺丝锁不紧", "嵌件松动打转", "铜螺母脱出"),
    ("打螺丝时柱子裂开", "螺丝拧到底还在转", "固定不牢晃动"),
)

FAULTS = (
    ModelFaults(
        "OH-HS-1203",
        "路由器上壳",
        (
            _CLIP,
            FaultFamily(
                "SV-HSG-1203",
                ("外壳变形", "上壳翘曲合不拢", "高温后上壳鼓起", "散热孔附近变形发黄"),
                ("放在机柜里温度高", "缝隙超过 1 mm", "靠近电源一侧"),
            ),
            FaultFamily(
                "SV-FOOT-RT",
                ("脚垫脱落", "底部脚垫掉了", "放桌上打滑", "防滑垫不粘"),
                ("用了几个月就掉", "胶失效"),
            ),
        ),
    ),
    ModelFaults(
        "OH-HS-1204",
        "路由器下壳",
        (
            _CLIP,
            FaultFamily(
                "SV-HSG-1204",
                ("下壳开裂", "下壳底部裂纹", "挂墙孔断裂", "下壳摔裂"),
                ("挂墙使用", "运输中掉落", "裂纹从挂孔延伸"),
            ),
            FaultFamily("SV-FOOT-RT", ("脚垫脱落", "底部脚垫丢失", "机器放不稳打滑"), ("客户要求补发",)),
        ),
    ),
    ModelFaults(
        "OH-HS-1310",
        "充电器",
        (
            FaultFamily(
                "SV-HSG-1310",
                ("外壳烧焦", "外壳高温发黄", "有焦味外壳变色", "外壳熔化鼓包", "外壳开裂漏电"),
                ("长时间充电", "插座附近发烫", "客户担心安全"),
            ),
            FaultFamily(
                "SV-PIN-AC",
                ("插脚松动", "插脚晃动接触不良", "插头插不紧", "插脚歪斜"),
                ("插拔时有火花", "充电时断时续"),
            ),
            FaultFamily("SV-INS-M3", ("螺丝柱开裂", "外壳螺丝孔滑牙", "上下壳螺丝锁不紧"), ("拆机维修后",)),
        ),
    ),
    ModelFaults(
        "OH-HS-1420",
        "智能电表",
        (
            FaultFamily(
                "SV-SEAL-1420",
                ("进水", "表内有水汽", "雨后起雾", "密封圈老化渗水", "底壳进水锈蚀"),
                ("户外安装", "台风后", "端子盒有水渍"),
            ),
            _BOSS_M3,
            FaultFamily("SV-LBL-1421", ("铭牌褪色", "铭牌字迹模糊", "铭牌起翘脱落"), ("阳光直射",)),
        ),
    ),
    ModelFaults(
        "OH-HS-1421",
        "电表透明上盖",
        (
            FaultFamily(
                "SV-CVR-1421",
                ("透明盖开裂", "上盖发黄", "透明罩裂纹", "视窗发白看不清读数", "上盖应力开裂"),
                ("日晒一年后", "抄表员看不清读数", "裂纹从螺丝孔开始"),
            ),
            FaultFamily(
                "SV-SEAL-1420", ("盖子密封不严进水", "上盖与底壳之间渗水", "视窗内有水珠"), ("暴雨后",)
            ),
            FaultFamily(
                "SV-LBL-1421", ("铭牌贴膜脱落", "铭牌字迹磨损", "条码扫不出来"), ("现场无法识别表号",)
            ),
        ),
    ),
    ModelFaults(
        "OH-HS-1805",
        "安防摄像头",
        (
            FaultFamily(
                "SV-DOME-1805",
                ("球罩起雾", "透明罩划花", "画面模糊有白斑", "球罩开裂", "罩子发黄影响画质"),
                ("户外安装", "夜视时光晕严重"),
            ),
            FaultFamily(
                "SV-SEAL-1805", ("摄像头进水", "防水圈老化", "雨后画面有水汽", "接线口渗水"), ("台风天后",)
            ),
            FaultFamily(
                "SV-INS-M2",
                ("支架螺丝孔滑牙", "安装螺丝锁不住", "底座螺母松脱", "固定螺丝柱断"),
                ("摄像头歪向一边", "风一吹就转"),
            ),
        ),
    ),
    ModelFaults(
        "OH-BZ-2310",
        "智能门锁面框",
        (
            FaultFamily(
                "SV-FRM-2310",
                ("面框开裂", "面框变形翘起", "面框摔裂", "面框与门缝隙大"),
                ("撞击后", "安装时用力过猛"),
            ),
            FaultFamily(
                "SV-INS-M25", ("螺丝孔滑牙", "面框螺丝锁不紧", "嵌件脱落", "固定柱断裂"), ("门锁松动摇晃",)
            ),
            FaultFamily(
                "SV-PAINT-BK",
                ("表面掉漆", "喷涂层脱落", "漆面划伤", "漆面起泡", "手摸处磨白"),
                ("常用把手附近", "客户要求修补外观"),
            ),
        ),
    ),
    ModelFaults(
        "OH-CN-3205",
        "电源端子座",
        (
            FaultFamily(
                "SV-PIN-064",
                ("端子松动", "接触不良", "端子退针", "针脚歪斜", "插拔无力", "端子氧化发黑"),
                ("设备时断时续", "插拔多次后"),
            ),
            FaultFamily(
                "SV-HSG-3205", ("端子座外壳烧黑", "外壳熔化", "外壳开裂", "塑壳变色有焦味"), ("大电流工作",)
            ),
        ),
    ),
    ModelFaults(
        "OH-CN-3301",
        "汽车线束护套",
        (
            FaultFamily(
                "SV-LATCH-3301",
                ("锁扣断裂", "插头锁不住", "护套锁扣失效", "插头容易脱出"),
                ("车辆颠簸后", "拆装几次后"),
            ),
            FaultFamily("SV-PIN-064", ("端子退针", "接触不良", "端子松动", "信号时有时无"), ("仪表报警",)),
            FaultFamily(
                "SV-HSG-3301", ("护套开裂", "护套变脆", "护套受热变形", "护套破损"), ("发动机舱高温",)
            ),
        ),
    ),
    ModelFaults(
        "OH-KY-4102",
        "遥控器",
        (
            FaultFamily(
                "SV-KEY-4102",
                ("按键帽脱落", "按键字符磨掉", "按键帽开裂", "按键帽丢失"),
                ("小孩玩耍后", "常用键"),
            ),
            FaultFamily(
                "SV-SPR-4102",
                ("按键无反应", "按键卡住不回弹", "按键要用力按", "按键失灵"),
                ("电池是新的", "部分按键正常"),
            ),
        ),
    ),
)

OPENINGS = ("客户反馈：", "客户来电：", "", "", "现场反馈：", "经销商报修：")
CLOSINGS = ("", "", "，要求上门处理", "，请尽快安排", "，已拍照", "，影响使用")
QUANTITIES = ("", "", "", "，共 {n} 台", "，同批 {n} 台")

# A few customers write in English (export customers, foreign engineers).
ENGLISH = {
    "SV-CLIP-RT": ("snap clip broken, covers do not close", "clip cracked on housing"),
    "SV-HSG-1310": ("charger housing burnt and discoloured", "case melted near the plug"),
    "SV-SEAL-1420": ("water inside the meter after rain", "seal leaking, condensation inside"),
    "SV-DOME-1805": ("camera dome foggy, blurred image", "dome cover cracked"),
    "SV-PIN-064": ("loose terminal, poor contact", "pin pushed back, intermittent power"),
    "SV-LATCH-3301": ("connector latch broken, plug falls out",),
    "SV-KEY-4102": ("key caps fell off the remote", "button caps missing"),
    "SV-SPR-4102": ("buttons do not respond", "keys stuck, no feedback"),
    "SV-CVR-1421": ("meter cover cracked and yellow", "cannot read the meter, window turned white"),
    "SV-FRM-2310": ("lock frame cracked", "door lock bezel bent"),
    "SV-SEAL-1805": ("water in the camera after the storm",),
    "SV-HSG-3205": ("terminal block housing burnt black",),
    "SV-INS-M3": ("screw boss cracked, screw stripped",),
}
