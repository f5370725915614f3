"""十个一入户服务法 (003 三): the on-site steps of a visit, in order. The tenth, 一访, is the callback."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    title: str
    hint: str


STEPS = (
    Step("knock", "一敲", "敲门", "轻敲三下或按门铃;穿工装,佩戴工牌。"),
    Step("introduce", "一报", "自我介绍", "微笑问好,报公司名称、工号和来意,核对地址。"),
    Step("shoe_covers", "一穿", "穿鞋套", "征得客户同意,进门前穿好鞋套。"),
    Step("tool_mat", "一铺", "铺工具垫", "铺开干净、防水的工具垫。"),
    Step("lay_out", "一摆", "摆放工具材料", "工具和材料摆放整齐,不拖拽。"),
    Step("water_catcher", "一接", "接水", "用接水盆接住暖气片放出的水。"),
    Step("repair", "一修", "维修", "尽快查明故障;属客户产权的,向客户说明并取得理解。"),
    Step("clean_up", "一清", "清理现场", "不留灰尘,不留水渍。"),
    Step("goodbye", "一别", "道别", "留下便民服务卡(含服务热线),礼貌道别。"),
)

STEP_CODES = tuple(step.code for step in STEPS)
BY_CODE = {step.code: step for step in STEPS}

PHOTO_KINDS = {"before": "修前", "after": "修后", "site": "现场"}
# Which photos each step needs before it can be marked done: a setting, these are the defaults.
DEFAULT_PHOTO_RULES = (("repair", "before"), ("repair", "after"), ("clean_up", "after"))

ROOMS = {"bedroom": "卧室", "living_room": "客厅", "kitchen": "厨房", "bathroom": "卫生间", "other": "其他"}

FAULT_LOCATIONS = {"company": "公司产权(入户端口及以外)", "customer": "客户产权(户内)"}
RESOLUTIONS = {"free": "免费维修", "paid": "有偿服务", "advice": "免费指导,客户自行维修"}
