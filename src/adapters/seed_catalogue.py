"""What the procurement demo buys and writes: items by category, names, reasons, and how often things happen.

Bilingual where people read it (department names, reasons, addresses); item names come in both languages so
Chinese suppliers sell 冷轧钢板 and English ones Cold-rolled steel sheet. Prices and quantities are ranges of
exact decimals; the distributions are weighted choices over the story of documents (adapters/seed_procurement.py).
"""

import random
from bisect import bisect_right
from decimal import Decimal
from itertools import accumulate
from typing import Generic, NamedTuple, TypeVar

from domain.purchasing.models import OrderStatus
from domain.suppliers.models import SupplierStatus

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice, its cumulative weights worked out once (what random.choices does per call)."""

    def __init__(self, *options: tuple[T, float]) -> None:
        self.values = [value for value, _ in options]
        self.cumulative = list(accumulate(weight for _, weight in options))

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


# --- what is bought: category → items ------------------------------------------------------------------------

class Item(NamedTuple):
    zh: str
    en: str
    spec: str
    unit_zh: str
    unit_en: str
    price: tuple[int, int]  # before tax, in units of 10^-price_places
    price_places: int
    tax_rate: int
    quantity: tuple[int, int]  # in units of 10^-quantity_places
    quantity_places: int


def item(zh: str, en: str, spec: str, unit: str, low: str, high: str, rate: int, qty: tuple[str, str]) -> Item:
    unit_zh, unit_en = unit.split("/")
    places = max(len(low.partition(".")[2]), len(high.partition(".")[2]))
    q_places = max(len(qty[0].partition(".")[2]), len(qty[1].partition(".")[2]))
    scale, q_scale = 10 ** places, 10 ** q_places
    return Item(zh, en, spec, unit_zh, unit_en, (int(Decimal(low) * scale), int(Decimal(high) * scale)), places,
                rate, (int(Decimal(qty[0]) * q_scale), int(Decimal(qty[1]) * q_scale)), q_places)


CATALOGUE: dict[str, tuple[Item, ...]] = {
    "raw_materials": (
        item("冷轧钢板", "Cold-rolled steel sheet", "Q235 1.5×1250×2500 mm", "吨/t", "4200", "5600", 13,
              ("1.000", "30.000")),
        item("不锈钢管", "Stainless steel tube", "304 Φ25×1.5 mm", "米/m", "28.50", "46.00", 13, ("50", "2000")),
        item("铝型材", "Aluminium profile", "6063-T5", "千克/kg", "19.20", "26.80", 13, ("100.0", "5000.0")),
        item("ABS 塑料粒子", "ABS resin pellets", "注塑级 injection grade", "千克/kg", "11.30", "16.40", 13,
              ("500", "20000")),
        item("环氧树脂", "Epoxy resin", "E-51", "千克/kg", "18.00", "28.50", 13, ("50", "2000")),
        item("紫铜排", "Copper busbar", "T2 10×100 mm", "千克/kg", "62.00", "78.00", 13, ("20.000", "800.000")),
    ),
    "components": (
        item("深沟球轴承", "Deep-groove ball bearing", "6205-2RS", "个/pcs", "6.50", "18.00", 13, ("50", "2000")),
        item("内六角螺栓", "Hex socket bolt", "M8×30 12.9 级", "个/pcs", "0.0350", "0.1200", 13, ("1000", "50000")),
        item("贴片电容", "SMD capacitor", "0805 10 µF 25 V", "个/pcs", "0.0080", "0.0300", 13, ("5000", "200000")),
        item("交流接触器", "AC contactor", "CJX2-1810 220 V", "个/pcs", "38.00", "65.00", 13, ("10", "300")),
        item("伺服电机", "Servo motor", "750 W 220 V", "台/unit", "1350", "2200", 13, ("1", "40")),
        item("开关电源", "Switching power supply", "24 V 10 A", "个/pcs", "85.00", "160.00", 13, ("5", "200")),
    ),
    "equipment": (
        item("数控车床", "CNC lathe", "CK6150 × 1000", "台/unit", "168000", "260000", 13, ("1", "2")),
        item("六轴工业机器人", "6-axis industrial robot", "负载 20 kg payload", "台/unit", "98000", "180000", 13,
              ("1", "3")),
        item("螺杆空压机", "Screw air compressor", "37 kW", "台/unit", "42000", "68000", 13, ("1", "2")),
        item("电动叉车", "Electric forklift", "3 t", "台/unit", "76000", "110000", 13, ("1", "3")),
    ),
    "other": (  # MRO, consumables and packaging
        item("劳保手套", "Work gloves", "丁腈涂层 nitrile coated", "双/pair", "2.80", "6.50", 13, ("200", "5000")),
        item("安全帽", "Safety helmet", "ABS GB 2811", "顶/pcs", "18.00", "45.00", 13, ("20", "500")),
        item("液压油", "Hydraulic oil", "46# 200 L", "桶/drum", "780", "1150", 13, ("1", "40")),
        item("切削液", "Cutting fluid", "半合成 semi-synthetic 18 L", "桶/drum", "420", "680", 13, ("2", "60")),
        item("砂轮片", "Grinding disc", "100×6×16 mm", "片/pcs", "3.20", "8.50", 13, ("100", "3000")),
        item("五层瓦楞纸箱", "5-ply carton box", "600×400×400 mm", "个/pcs", "3.80", "9.60", 13, ("500", "20000")),
        item("缠绕膜", "Stretch film", "500 mm × 23 µm", "卷/roll", "28.00", "46.00", 13, ("20", "600")),
        item("木托盘", "Wooden pallet", "1200×1000 mm 熏蒸 fumigated", "个/pcs", "65.00", "120.00", 13,
              ("20", "800")),
        item("气泡袋", "Bubble bag", "200×250 mm", "个/pcs", "0.1800", "0.6500", 13, ("1000", "30000")),
    ),
    "office_supplies": (
        item("A4 复印纸", "A4 copy paper", "70 g 5 包/箱 5 reams", "箱/box", "118.00", "165.00", 13, ("5", "200")),
        item("人体工学办公椅", "Ergonomic office chair", "网背 mesh back", "把/pcs", "380", "1280", 13,
              ("1", "60")),
        item("硒鼓", "Toner cartridge", "HP 88A 兼容 compatible", "个/pcs", "260", "680", 13, ("2", "50")),
        item("文件柜", "Filing cabinet", "钢制四门 steel 4-door", "个/pcs", "650", "1500", 13, ("1", "20")),
    ),
    "it_software": (
        item("笔记本电脑", "Laptop", "14\" i7 16 GB 512 GB", "台/unit", "4800", "9800", 13, ("1", "50")),
        item("显示器", "Monitor", "27\" 2560×1440", "台/unit", "1100", "2600", 13, ("1", "60")),
        item("千兆交换机", "Gigabit switch", "48 口 48-port", "台/unit", "2800", "9800", 13, ("1", "10")),
        item("软件许可（年）", "Software licence (annual)", "按用户 per user", "套/seat", "800", "4800", 6,
              ("5", "500")),
        item("云服务器租用", "Cloud server rental", "8 vCPU 32 GB", "月/month", "1200", "8600", 6, ("1", "12")),
    ),
    "logistics": (
        item("整车运输", "Full-truckload transport", "上海—成都 Shanghai–Chengdu", "车次/trip", "6800", "9800", 9,
              ("1", "20")),
        item("零担运输", "Less-than-truckload freight", "华东区域 East China", "票/shipment", "120", "900", 9,
              ("1", "80")),
        item("仓储服务", "Warehousing service", "常温库 ambient", "月/month", "8000", "30000", 6, ("1", "12")),
    ),
    "services": (
        item("设备年度维保", "Annual equipment maintenance", "含备件 parts included", "项/job", "12000", "68000", 6,
              ("1", "1")),
        item("计量校准服务", "Calibration service", "CNAS", "次/job", "300", "2800", 6, ("1", "30")),
        item("第三方检测", "Third-party testing", "RoHS / REACH", "项/job", "1800", "12000", 6, ("1", "6")),
        item("保洁服务", "Cleaning service", "小规模纳税人 small-scale taxpayer", "月/month", "3500", "9000", 3,
              ("1", "12")),
        item("技术开发服务", "Technology development", "免税 VAT exempt", "项/job", "50000", "300000", 0,
              ("1", "1")),
    ),
    "construction": (
        item("厂房维修工程", "Plant repair works", "屋面防水 roof waterproofing", "项/job", "28000", "160000", 9,
              ("1", "1")),
        item("钢结构厂房扩建", "Steel-structure plant extension", "1,200 m²", "项/job", "380000", "1600000", 9,
              ("1", "1")),
        item("消防系统改造", "Fire-protection upgrade", "喷淋 + 报警 sprinklers and alarms", "项/job", "60000",
             "420000", 9, ("1", "1")),
        item("办公室装修", "Office fit-out", "按面积 per m²", "平方米/m²", "680", "1800", 9, ("80", "1200")),
    ),
}
# Trade words of supplier names, per category (Chinese, English).
TRADES = {
    "raw_materials": (("钢铁", "金属材料", "化工", "塑胶", "铜业"), ("Steel", "Metals", "Chemicals", "Polymers")),
    "components": (("电子元件", "轴承", "五金", "电气", "精密零件"),
                   ("Components", "Bearings", "Electric", "Fasteners")),
    "equipment": (("精密机械", "自动化设备", "数控机床", "重工"), ("Machinery", "Automation", "Robotics")),
    "other": (("工业用品", "劳保用品", "润滑油品", "包装材料", "纸业"),
              ("Industrial Supply", "Safety Products", "Packaging")),
    "office_supplies": (("办公用品", "办公家具", "文具"), ("Office Supplies", "Furniture")),
    "it_software": (("信息技术", "软件", "网络科技", "计算机"), ("Software", "IT Services", "Networks")),
    "logistics": (("物流", "货运", "供应链管理"), ("Logistics", "Freight", "Supply Chain")),
    "services": (("技术服务", "检测", "物业管理"), ("Engineering", "Testing", "Facility Services")),
    "construction": (("建筑工程", "建设工程", "装饰工程", "钢结构"), ("Construction", "Builders", "Interiors")),
}
# The suppliers slice's categories (domain.suppliers.models.CATEGORIES), with how many suppliers each has.
CATEGORY_SHARE = Weighted(("raw_materials", 14), ("components", 16), ("equipment", 5), ("it_software", 8),
                          ("services", 8), ("logistics", 7), ("office_supplies", 8), ("construction", 4),
                          ("other", 18))
CATEGORIES = tuple(CATEGORY_SHARE.values)

PROCUREMENT_TEAMS = ("原材料采购 Raw materials", "设备与 MRO Equipment & MRO", "行政与 IT 采购 Office & IT")
TEAM_CATEGORIES = (("raw_materials", "components", "other"),
                   ("equipment", "other", "logistics", "services", "construction"),
                   ("office_supplies", "it_software", "services"))
TEAM_SHARE = Weighted((0, 50), (1, 32), (2, 18))  # of direct orders
REQUESTING_TEAMS = ("生产部 Production", "研发部 R&D", "质量部 Quality", "仓储物流部 Warehouse & logistics",
                    "行政部 Administration", "财务部 Finance")
REQUEST_CATEGORIES = (("raw_materials", "components", "other"), ("components", "it_software", "services"),
                      ("services", "other"), ("other", "logistics"),
                      ("office_supplies", "it_software", "services", "construction"),
                      ("office_supplies", "it_software"))
FINANCE_TEAM = 5

SUSPENSIONS = ("连续两批来料检验不合格，整改中 Two rejected batches in a row; corrective action open",
               "营业执照年报逾期未更新 Business licence annual report overdue",
               "交期严重延误，暂停下单 Repeated late deliveries; new orders on hold",
               "ISO 9001 证书过期待复审 ISO 9001 certificate expired, re-audit pending")
BLACKLISTINGS = ("提供虚假资质文件 Forged qualification documents",
                 "商业贿赂，经审计确认 Bribery confirmed by internal audit",
                 "合同欺诈，已移交法务 Contract fraud; handed to legal",
                 "转包给黑名单供应商 Subcontracted to a blacklisted supplier")
BANKS_CN = ("中国工商银行", "中国建设银行", "中国银行", "中国农业银行", "招商银行", "交通银行", "浦发银行", "兴业银行")
BANKS_EN = ("HSBC Hong Kong", "Deutsche Bank Frankfurt", "Citibank N.A. New York", "DBS Bank Singapore",
            "BNP Paribas Paris", "MUFG Bank Tokyo")
ROADS = ("人民路", "解放路", "建设大道", "科技园路", "工业园大道", "长江路", "黄河路", "星湖街", "创业路", "滨江大道")
PAYMENT_TERMS = ("月结 30 天 Net 30", "月结 60 天 Net 60", "货到验收后 15 天付款 15 days after acceptance",
                 "预付 30%，验收后付尾款 30% advance, balance on acceptance", "票到 45 天 45 days after invoice")
SITES = ("苏州工业园区星湖街 328 号 一号仓库 Suzhou Industrial Park, Warehouse 1",
         "上海市嘉定区叶城路 1288 号 总部收货处 Shanghai Jiading, HQ receiving",
         "成都高新区天府大道 666 号 西南工厂 Chengdu Hi-tech Zone, South-west plant")
PURPOSES = ("产线备件补充 Spare parts for the production line", "新项目试产 Pilot run of a new product",
            "年度例行采购 Routine annual purchase", "安全整改 Safety remediation",
            "新员工入职配置 Equipment for new hires",
            "客户订单备料 Materials for a customer order", "设备更新换代 Equipment renewal")
CANCEL_REASONS = ("需求取消 Requirement cancelled", "供应商无法按期交货 Supplier cannot deliver on time",
                  "价格变动，重新询价 Price changed; re-quoting", "重复下单 Duplicate order")
SHORT_CLOSE_REASONS = ("剩余数量供应商停产，经协商关闭 Remainder discontinued by the supplier; closed by agreement",
                       "剩余需求取消 Remaining need cancelled")
REJECTION_REASONS = ("尺寸超差 Out of tolerance", "外观划伤 Scratched surface", "包装破损 Damaged packaging",
                     "批次混料 Mixed batches", "证书缺失 Certificate missing")
RESOLUTIONS_ACCEPTED = ("原材料涨价，经采购经理确认接受 Raw-material surcharge confirmed by the procurement manager",
                        "运费差额已确认 Freight difference confirmed")
RESOLUTIONS_REJECTED = ("单价与合同不符，退回供应商重开 Price differs from the order; returned for a corrected invoice",
                        "数量超过实收，退回重开 Quantity above receipt; returned for a corrected invoice")


_S = OrderStatus
ORDER_STATUS_OLD = Weighted((_S.CLOSED, 80), (_S.RECEIVED, 8), (_S.CANCELLED, 7), (_S.PARTLY_RECEIVED, 3),
                            (_S.REJECTED, 1), (_S.DRAFT, 1))  # older than 120 days
ORDER_STATUS_MONTHS = Weighted((_S.CLOSED, 38), (_S.RECEIVED, 26), (_S.PARTLY_RECEIVED, 12), (_S.SENT, 10),
                               (_S.CANCELLED, 6), (_S.APPROVED, 3), (_S.REJECTED, 2), (_S.DRAFT, 2),
                               (_S.PENDING_APPROVAL, 1))  # 30 to 120 days old
ORDER_STATUS_RECENT = Weighted((_S.DRAFT, 12), (_S.PENDING_APPROVAL, 12), (_S.REJECTED, 4), (_S.APPROVED, 14),
                               (_S.SENT, 28), (_S.PARTLY_RECEIVED, 14), (_S.RECEIVED, 12), (_S.CANCELLED, 4))
CANCELLED_FROM = Weighted((_S.DRAFT, 4), (_S.REJECTED, 1), (_S.APPROVED, 3), (_S.SENT, 2))
DELIVERIES = Weighted((1, 75), (2, 20), (3, 5))
ORDER_LINES = Weighted((1, 40), (2, 30), (3, 18), (4, 12))
REQUISITION_LINES = Weighted((1, 38), (2, 32), (3, 18), (4, 12))  # orders made from them have 1-4 too
REQUISITION_RECENT = Weighted(("draft", 14), ("submitted", 20), ("rejected", 5), ("wait", 16), ("order", 33),
                              ("partial", 10), ("close", 2))  # outcomes of requisitions younger than 30 days
REQUISITION_OLD = Weighted(("rejected", 9), ("order", 76), ("partial", 9), ("close", 6))
INVOICE_PROBLEM = Weighted(("matched", 93), ("price_over", 5), ("quantity_over", 2))
SUPPLIER_STATUS = Weighted((SupplierStatus.PENDING, 6), (SupplierStatus.QUALIFIED, 86),
                           (SupplierStatus.SUSPENDED, 5), (SupplierStatus.BLACKLISTED, 3))
