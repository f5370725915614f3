"""The demo company's materials: a catalogue (the price list's materials under the same codes, and what a free
repair uses), each branch's storekeeper, and a month of stock — receipts, issues to the vans, a return, a
write-off and a count. Consumption follows from the demo's visits and signed slips (app/demo/visits.py).

Idempotent: nothing is added when the catalogue exists.
"""
from datetime import timedelta

from app.extensions import db
from app.localtime import local_today
from app.materials import services
from app.materials.models import ISSUE, RECEIPT, RETURN, WRITE_OFF, Material

# (code, name, specification, unit, whole units, cost in fen, minimum in the store)
CATALOGUE = (
    ("SB-001", "钢制柱式暖气片", "GZ6-600", "片", True, 3600, 20),
    ("SB-003", "暖气片温控阀", "DN15", "个", True, 7800, 10),
    ("SB-004", "暖气片温控阀", "DN20", "个", True, 9200, 10),
    ("SB-005", "Y 型过滤器", "DN20 铜", "个", True, 3900, 10),
    ("PJ-001", "铜球阀", "DN15", "个", True, 2100, 20),
    ("PJ-002", "铜球阀", "DN20", "个", True, 2700, 20),
    ("PJ-004", "暖气片手动跑风阀", "DN15(4 分)", "个", True, 550, 50),
    ("PJ-005", "自动排气阀", "DN15", "个", True, 2200, 20),
    ("PJ-006", "PPR 弯头 90°", "DN20", "个", True, 150, 100),
    ("PJ-012", "PPR 活接", "DN20", "个", True, 900, 30),
    ("CL-001", "PPR 热水管", "DN20 × 2.8 mm", "米", False, 650, 100),
    ("CL-003", "生料带", "20 m", "卷", True, 120, 100),
    ("WX-001", "过滤器滤网", "DN20 不锈钢", "片", True, 800, 30),
    ("WX-002", "立管闸阀", "DN25", "个", True, 6500, 5),
)
# Into each store a month ago, in units; then to each van of the branch.
RECEIVED = {"SB-001": 40, "SB-003": 30, "SB-004": 12, "SB-005": 25, "PJ-001": 60, "PJ-002": 60, "PJ-004": 200,
            "PJ-005": 40, "PJ-006": 300, "PJ-012": 50, "CL-001": 400, "CL-003": 150, "WX-001": 60, "WX-002": 4}
VAN = {"SB-003": 3, "SB-005": 2, "PJ-001": 4, "PJ-002": 4, "PJ-004": 10, "PJ-006": 10, "CL-001": 20, "CL-003": 8,
       "WX-001": 4}
# What a free repair of the demo uses, by category: (material, quantity) — borne by the company (公司承担).
FREE_REPAIR = {"urgent_leak": (("PJ-004", 1), ("CL-003", 1)), "repair": (("WX-001", 1),)}


def load_demo_catalogue(admin):
    """The catalogue, or None when it is already there."""
    if db.session.execute(db.select(Material.id).limit(1)).first() is not None:
        return None
    for code, name, specification, unit, whole, cost, minimum in CATALOGUE:
        db.session.add(Material(code=code, name=name, specification=specification, unit=unit, whole_units=whole,
                                cost_fen=cost, min_stock_centi=minimum * 100))
    db.session.flush()
    return by_code()


def by_code():
    return {m.code: m for m in db.session.execute(db.select(Material)).scalars()}


def load_demo_stock(admin, branches, technicians):
    """A month ago: each store receives its stock and issues each van its kit; since then a return, a
    write-off and a count. `technicians`: branch code → [User]."""
    materials, month_ago = by_code(), local_today() - timedelta(days=30)
    for code, branch in branches.items():
        store = services.store_of(branch)
        for material_code, units in RECEIVED.items():
            minimum = materials[material_code].min_stock_centi
            # Most of it: the demo's store runs low on two materials, to show the low-stock list.
            received = units * 100 if material_code not in ("WX-002", "SB-004") else minimum - 100
            services.move(admin, RECEIPT, materials[material_code], received, target=store, booked_on=month_ago,
                          reason="供暖季备料")
        for technician in technicians[code]:
            van = services.van_of(technician)
            for material_code, units in VAN.items():
                services.move(admin, ISSUE, materials[material_code], units * 100, source=store, target=van,
                              booked_on=month_ago + timedelta(days=1))
        first = services.van_of(technicians[code][0])
        services.move(admin, RETURN, materials["CL-001"], 500, source=first, target=store,
                      booked_on=month_ago + timedelta(days=12), reason="多领退回")
        services.move(admin, WRITE_OFF, materials["PJ-006"], 300, source=store,
                      booked_on=month_ago + timedelta(days=15), reason="运输中摔裂")
        services.count(admin, store, materials["CL-003"], services.on_hand(store, materials["CL-003"]) - 200,
                       booked_on=month_ago + timedelta(days=20))


def consume_free_repair(order, visit, day):
    """What the demo's free repairs used, taken from the technician's van at no charge to the customer."""
    materials = by_code()
    if not materials:
        return
    for code, units in FREE_REPAIR.get(order.category, ()):
        services.move(order.technician, "consume", materials[code], units * 100,
                      source=services.van_of(order.technician), work_order=order, visit=visit,
                      allow_below_zero=True, booked_on=day)
