"""The demo company's price list: a heating season's prices, in force from a month before the day it is loaded.

Idempotent: keyed by the version's name, created (through the services) only when missing.
"""
from datetime import timedelta

from app.extensions import db
from app.materials.models import Material
from app.price_list import services
from app.price_list.models import PriceListVersion

NAME = "2026–2027 供暖季价目表"

# (code, name, specification, unit, category, price in fen)
ITEMS = (
    ("SB-001", "钢制柱式暖气片", "GZ6-600", "片", "equipment", 5800),
    ("SB-002", "铜铝复合暖气片", "TLF-600", "片", "equipment", 9500),
    ("SB-003", "暖气片温控阀", "DN15", "个", "equipment", 12000),
    ("SB-004", "暖气片温控阀", "DN20", "个", "equipment", 14500),
    ("SB-005", "Y 型过滤器", "DN20 铜", "个", "equipment", 6500),
    ("PJ-001", "铜球阀", "DN15", "个", "fitting", 3500),
    ("PJ-002", "铜球阀", "DN20", "个", "fitting", 4500),
    ("PJ-003", "铜球阀", "DN25", "个", "fitting", 6800),
    ("PJ-004", "暖气片手动跑风阀", "DN15(4 分)", "个", "fitting", 1200),
    ("PJ-005", "自动排气阀", "DN15", "个", "fitting", 3800),
    ("PJ-006", "PPR 弯头 90°", "DN20", "个", "fitting", 350),
    ("PJ-007", "PPR 弯头 90°", "DN25", "个", "fitting", 500),
    ("PJ-008", "PPR 三通", "DN20", "个", "fitting", 450),
    ("PJ-009", "PPR 三通", "DN25", "个", "fitting", 650),
    ("PJ-010", "PPR 直接", "DN20", "个", "fitting", 250),
    ("PJ-011", "PPR 直接", "DN25", "个", "fitting", 350),
    ("PJ-012", "PPR 活接", "DN20", "个", "fitting", 1800),
    ("PJ-013", "PPR 活接", "DN25", "个", "fitting", 2400),
    ("PJ-014", "暖气片丝堵", "1 寸", "个", "fitting", 800),
    ("CL-001", "PPR 热水管", "DN20 × 2.8 mm", "米", "material", 1200),
    ("CL-002", "PPR 热水管", "DN25 × 3.5 mm", "米", "material", 1800),
    ("CL-003", "生料带", "20 m", "卷", "material", 300),
    ("CL-004", "暖气片挂钩", "含膨胀螺栓", "套", "material", 1000),
    ("RG-001", "基本人工费", "每次上门", "次", "labour", 3000),
    ("RG-002", "维修人工费", "按小时计,不足 1 小时按 1 小时", "小时", "labour", 6000),
    ("RG-003", "暖气片更换", "拆旧装新,每组", "组", "labour", 12000),
    ("RG-004", "过滤器清洗", "户内 Y 型过滤器", "次", "labour", 4000),
    ("RG-005", "阀门更换", "DN15–DN25,每个", "个", "labour", 3000),
    ("RG-006", "户内系统打压试验", "每户", "次", "labour", 5000),
)
BASIC_LABOUR_FEE = "RG-001"
# 售后服务 (001 四.14) per category, and the items whose terms differ from their category's.
CATEGORY_TERMS = {
    "equipment": ("产品本身质量问题免费更换(人为损坏除外)", 12),
    "fitting": ("配件本身质量问题免费更换", 6),
    "material": ("材料本身质量问题免费更换", 6),
    "labour": ("维修部位同一故障免费返修", 3),
}
ITEM_TERMS = {
    "SB-003": ("温控阀阀体及温控头质量问题免费更换", 24),
    "SB-004": ("温控阀阀体及温控头质量问题免费更换", 24),
    "RG-006": ("仅检查试压,不含后续维修", 0),
}


def load_demo_price_list(admin):
    existing = db.session.execute(db.select(PriceListVersion).filter_by(name=NAME)).scalar_one_or_none()
    if existing is not None:
        return existing
    version = services.create_draft(admin, NAME)
    # A company-supplied item takes the material of the same code from the technician's van.
    materials = dict(db.session.execute(db.select(Material.code, Material.id)).all())
    for code, name, specification, unit, category, price_fen in ITEMS:
        terms, months = ITEM_TERMS.get(code, ("", 0))
        services.save_item(admin, version, {
            "code": code, "name": name, "specification": specification, "unit": unit, "category": category,
            "price_fen": price_fen, "is_basic_labour_fee": code == BASIC_LABOUR_FEE,
            "after_sales": terms, "warranty_months": months, "material_id": materials.get(code), "material_centi": 100,
        })
    services.set_category_terms(admin, version, CATEGORY_TERMS)
    # In force for the past month, so that the demo's finished orders were priced with it.
    season = services.local_today() - timedelta(days=30)
    return services.publish(admin, version, season, as_of=season)
