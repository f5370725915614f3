"""The words of a work order: channels, categories and statuses, with what users read."""

CHANNELS = {
    "hotline": "热线电话",
    "visit": "来访",
    "letter": "来信",
    "hotline_12345": "12345 等热线转办",
    "suggestion_box": "意见箱",
    "branch_direct": "分公司直接受理",
}

CATEGORIES = {
    "urgent_leak": "跑冒滴漏",
    "repair": "报修",
    "complaint": "投诉",
    "paid_service": "有偿服务",
    "temperature_check": "测温",
    "consultation": "咨询",
}

URGENT_CATEGORIES = frozenset({"urgent_leak"})
TEMPERATURE_CHECK = "temperature_check"  # its visit cannot finish without readings the customer signed

STATUSES = {
    "new": "待派单",
    "dispatched": "已派单",
    "accepted": "已接单",
    "on_the_way": "在途",
    "on_site": "已到场",
    "done": "已完工",
    "called_back": "已回访",
    "closed": "已关闭",
    "cancelled": "已取消",
}

OPEN_STATUSES = ("new", "dispatched", "accepted", "on_the_way", "on_site")
# The technician's open load: orders handed to them and not yet finished.
LOAD_STATUSES = ("dispatched", "accepted", "on_the_way", "on_site")
FINISHED_STATUSES = ("done", "called_back", "closed", "cancelled")

ACTIONS = {
    "open": "受理",
    "appoint": "预约",
    "reschedule": "改约",
    "dispatch": "派单",
    "reassign": "改派",
    "accept": "接单",
    "depart": "出发",
    "arrive": "到场",
    "contact": "已联系客户",
    "tell": "已告知客户可能迟到",
    "complete": "完工",
    "call_back": "回访",
    "close": "关闭",
    "cancel": "取消",
    "answer": "当场答复",
    "callback_attempt": "回访未接通",
    "reopen": "回访未解决,重新派单",
}
# A callback found the problem not solved: the order goes back to dispatch (app/callbacks).
REOPENABLE_STATUSES = ("done", "called_back")
