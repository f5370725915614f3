"""The demo company: two branches of a heating company, its people, its estates and a day of work orders.

Static data only; `app.demo.loader` turns it into rows through the services.
"""
from typing import NamedTuple

PASSWORD = "shifu-demo-2026"
SEED = 2026
HOUSEHOLD_COUNT = 200

# code, name, phone
BRANCHES = (
    ("CD", "城东分公司", "022-24315566"),
    ("CX", "城西分公司", "022-27368899"),
)

# branch code → area → estates (小区); names are unique across the company.
AREAS = {
    "CD": {
        "河东片区": ("春华里", "万新花园", "馨逸园", "嘉和家园"),
        "东丽片区": ("雅乐园", "东泰家园", "朝阳里", "福康里", "金桥苑"),
    },
    "CX": {
        "新华片区": ("新华里", "丽景苑", "和平新村", "长江公寓"),
        "西站片区": ("芥园新村", "锦绣苑", "美丽园", "西湖村", "红旗南里"),
    },
}

# username, name, role, phone, what they see after signing in
DESK_USERS = (
    ("admin", "周明", "admin", "13602218801",
     "管理员:价目表、设置(组织架构、人员、时限、节假日、拍照、室温标准),以及调度和考核"),
    ("dispatcher", "刘婷", "dispatcher", "13920367702", "调度员:受理来电、派单看板、全部工单"),
    ("backoffice", "陈静", "back_office", "15222460903", "客服部:回访、考核、测温、对账,关闭工单"),
)

# username, name, phone, branch code: each branch's storekeeper (库管员)
STOREKEEPERS = (("kuguan", "郭淑芬", "13602218811", "CD"), ("kuguan2", "韩国庆", "13602218812", "CX"))

# badge number (= username), name, phone, branch code, areas
TECHNICIANS = (
    ("T1001", "张建军", "13512340101", "CD", ("河东片区",)),
    ("T1002", "王海涛", "13820163302", "CD", ("河东片区", "东丽片区")),
    ("T1003", "李国庆", "15822107703", "CD", ("东丽片区",)),
    ("T1004", "赵立新", "18602221104", "CX", ("新华片区",)),
    ("T1005", "孙志强", "13902034405", "CX", ("新华片区", "西站片区")),
    ("T1006", "马俊峰", "15122568806", "CX", ("西站片区",)),
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN_NAMES = (
    "秀兰", "建国", "桂英", "志强", "淑珍", "国华", "玉兰", "德明", "凤英", "海燕",
    "文革", "丽娟", "卫东", "美玲", "振华", "淑华", "建华", "红梅", "宝山", "金凤",
    "立新", "春生", "晓燕", "俊杰", "雪梅", "永刚", "静", "磊", "伟", "敏",
    "涛", "勇", "芳", "娜", "军", "洋", "婷婷", "浩然", "子涵", "欣怡",
)
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139",
                   "150", "151", "152", "155", "158", "159", "180", "185", "186", "187", "189")


class DemoOrder(NamedTuple):
    """One demo work order: the status it ends in and how long ago it was opened."""

    status: str
    age: int  # minutes since it was opened
    category: str
    channel: str
    description: str
    appointment: tuple | None = None  # (days after the booking, "HH:MM" Beijing time)
    reason: str | None = None  # the cancel reason, or the answer to a consultation
    before: str = "new"  # a cancelled order: the status it was cancelled from
    reassign: bool = False  # handed to a second technician after the first dispatch
    late: int = 0  # minutes the technician took longer than usual to get there


H, D = 60, 24 * 60

# Open orders first: some overdue, some due within the half hour, some booked; then the finished ones,
# spread over the last ten days. Appointments of finished orders are booked exactly (age // D) days ago.
ORDERS = (
    DemoOrder("new", 10, "repair", "hotline", "家里不热 室温16度,卧室暖气片上凉下热"),
    DemoOrder("new", 50, "repair", "hotline_12345", "12345转办:整个单元暖气不热,多户反映室温15度左右"),
    DemoOrder("new", 4, "urgent_leak", "hotline", "厨房暖气片接口漏水,地上已经有积水,请尽快来人"),
    DemoOrder("new", 25, "complaint", "hotline", "对维修师傅服务态度不满意,进门没穿鞋套,说话不耐烦"),
    DemoOrder("new", 20, "paid_service", "hotline", "想更换暖气阀门,原来的阀门锈死拧不动", (1, "10:00")),
    DemoOrder("new", 15, "temperature_check", "hotline", "感觉家里不热,自测室温17度,申请上门测温",
              (1, "14:30")),
    DemoOrder("dispatched", 45, "urgent_leak", "hotline", "暖气片跑风阀漏水,一直往下滴,楼下邻居来敲门"),
    DemoOrder("dispatched", 2 * H, "complaint", "hotline_12345", "12345转办:报修三天没人来,要求给个说法"),
    DemoOrder("dispatched", 22, "repair", "branch_direct", "阀门拧不动,暖气关不上,屋里太热"),
    DemoOrder("dispatched", 90, "temperature_check", "hotline_12345",
              "12345转办:老人独居,家中室温不足16度,要求测温", (1, "09:30")),
    DemoOrder("accepted", 2 * H + 30, "repair", "hotline", "卫生间暖气片不热,其他房间正常"),
    DemoOrder("accepted", 40, "paid_service", "visit", "客户来访:客厅想加装一组暖气片", (2, "09:30")),
    DemoOrder("on_the_way", 18, "urgent_leak", "hotline", "楼道暖气立管漏水,水顺着楼梯往下流"),
    DemoOrder("on_the_way", 100, "repair", "hotline", "暖气片上凉下热,自己放过气还是不热", reassign=True),
    DemoOrder("on_site", 40, "urgent_leak", "hotline", "阳台暖气管道爆裂跑水,已关总阀"),
    DemoOrder("on_site", 75, "repair", "suggestion_box", "入户阀门坏了关不小,室温28度太热"),
    DemoOrder("on_site", 70, "paid_service", "hotline", "卫生间暖气片阀门漏水,客户已自购同型号阀门,请师傅上门更换"),
    DemoOrder("done", 5 * H, "urgent_leak", "hotline", "暖气片放气阀损坏漏水,已用盆接水"),
    DemoOrder("done", D + 6 * H, "repair", "hotline", "家里不热 室温16度,管道里有哗哗的水声"),
    DemoOrder("done", 3 * D + 40, "paid_service", "hotline", "更换客厅暖气片温控阀", (1, "15:00")),
    DemoOrder("done", 2 * D + 40, "temperature_check", "letter", "来信:室温长期达不到18度,申请测温",
              (1, "10:30")),
    DemoOrder("called_back", 4 * D + 2 * H, "repair", "hotline", "暖气片阀门拧不动,无法调节温度", late=100),
    DemoOrder("called_back", 5 * D, "complaint", "branch_direct", "师傅维修后地面没有清理干净,留有污水"),
    DemoOrder("called_back", 5 * D + H, "temperature_check", "hotline", "卧室室温17度,客厅18度,要求测温",
              (1, "09:00")),
    DemoOrder("closed", 6 * D, "urgent_leak", "hotline", "卧室暖气片爆裂,大量跑水", late=20),
    DemoOrder("closed", 7 * D + 3 * H, "repair", "hotline_12345", "12345转办:暖气不热,室温15度,家中有婴儿"),
    DemoOrder("closed", 8 * D + 50, "paid_service", "visit", "客户来访:更换入户过滤器,客户自备材料",
              (1, "14:00")),
    DemoOrder("closed", 9 * D + 5 * H, "complaint", "letter", "来信:反映维修后多次打电话无人接听"),
    DemoOrder("closed", 20 * D + 2 * H, "paid_service", "hotline", "更换卧室暖气片温控阀,阀芯关不严"),  # 第三联超期未交
    DemoOrder("closed", 2 * D, "consultation", "hotline", "咨询今年采暖费缴费时间和缴费方式",
              reason="已告知:采暖费于11月1日前缴纳,可通过营业厅、银行代收或微信公众号缴费。"),
    DemoOrder("closed", 10 * D, "consultation", "hotline", "咨询供暖开始时间和停暖报停手续",
              reason="已告知:11月15日正式供暖;报停须在10月31日前持户主身份证到分公司办理。"),
    DemoOrder("cancelled", 3 * H, "repair", "hotline", "暖气不热,暖气片摸着温乎",
              reason="客户来电:自行放气后暖气已热,取消报修", before="dispatched"),
)

COMPLETE_NOTES = {
    "urgent_leak": "已关进户阀门,更换跑风阀及密封垫,积水已清理",
    "repair": "暖气片内有空气,已放气并清洗过滤网;复测卧室19℃、客厅20℃",
    "complaint": "分公司负责人上门致歉,说明情况并已整改",
    "paid_service": "按价目表更换,客户确认价格并签字",
    "temperature_check": "入户测温:卧室17.6℃(低于18℃),排气后复测卧室18.5℃、客厅19℃,客户签字确认",
}
CLOSE_NOTE = "回访满意,工单关闭"

# Callbacks (回访) the back office made, by the order's description: (satisfaction, the customer's words).
CALLBACK_ANSWER = ("satisfied", "暖气已经热了,师傅很负责")
CALLBACK_ANSWERS = {
    "师傅维修后地面没有清理干净,留有污水": ("fair", "分公司已上门道歉并清理,基本满意"),
    "12345转办:暖气不热,室温15度,家中有婴儿": ("satisfied", "当天就修好了,孩子不冷了,谢谢"),
}
# Pending callbacks: one the back office could not get through to, and customers who rated on the
# slip's QR page — one says solved (that answers the callback), one says not (flagged for a call).
CALLBACK_NOT_REACHED = {"家里不热 室温16度,管道里有哗哗的水声": "无人接听"}
SLIP_RATINGS = {
    "暖气片放气阀损坏漏水,已用盆接水": ("satisfied", True, "师傅来得很快,处理得很干净"),
    "来信:室温长期达不到18度,申请测温": ("dissatisfied", False, "测温后还是不热,卧室只有17度"),
}
