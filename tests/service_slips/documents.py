"""Slip documents built by hand, for tests (and the benchmark) that need a slip without a database.

`sample_document()` is a paid-service slip as docs/slips.md describes it; keyword arguments replace
fields of the SlipDocument, and `content=` is merged into the signed content key by key.
"""
import functools
import hashlib
from datetime import UTC, datetime

from app.demo.signatures import drawn_signature
from app.paid_service.services import amount_fen
from app.price_list.money import in_capitals
from app.service_slips.content import CLAUSE, digest
from app.service_slips.document import SlipDocument

VERIFY_URL = "https://shifu.example.cn/v/q7Xk2mP9vR4tW8yZ3bN6cD"


@functools.cache
def signature_png(seed=1):
    """A scribble the size of a phone's signature canvas (the renderer scales it to print size)."""
    return drawn_signature(seed, width=900, height=360)


def line(name, specification, unit, unit_price_fen, quantity_centi=100, supplied_by="company",
         category="equipment", code="FM-DN20", added_for_own_materials=False):
    amount = 0 if supplied_by == "customer" else amount_fen(unit_price_fen, quantity_centi)
    return {
        "code": code, "name": name, "specification": specification, "unit": unit, "category": category,
        "quantity_centi": quantity_centi, "supplied_by": supplied_by, "unit_price_fen": unit_price_fen,
        "amount_fen": amount, "added_for_own_materials": added_for_own_materials,
    }


def paid_content(lines=None, **overrides):
    lines = lines if lines is not None else [
        line("铜截止阀", "DN20", "个", 6800, supplied_by="customer"),
        line("PP-R 热水管", "DN20", "米", 1250, quantity_centi=150, category="material", code="CL-PPR20"),
        line("基本人工费", "", "次", 3000, category="labour", code="RG-JB", added_for_own_materials=True),
    ]
    total = sum(item["amount_fen"] for item in lines)
    content = {
        "v": 3,
        "order": {"number": "BT-20261125-0042", "category": "paid_service", "description": "卧室暖气阀门漏水,想更换。"},
        "customer": {"account_number": "0101020301", "name": "王秀兰", "phone": "13800000000",
                     "address": "阳光小区3号楼2单元501室"},
        "technician": {"name": "张建国", "badge_number": "T1001"},
        "branch": "城东分公司",
        "repair": {"fault_location": "customer", "resolution": "paid",
                   "diagnosis": "卧室暖气片进水阀阀芯老化,关闭不严,接口处渗水。",
                   "result": "更换进水阀一个及连接管一段,试压无渗漏,恢复供暖。"},
        "charged": True,
        "price_list_version_id": 3,
        "lines": lines,
        "total_fen": total,
        "total_in_capitals": in_capitals(total),
        "payment": {"method": "wechat", "collected_fen": total},
        "readings": [{"room": "bedroom", "tenths": 185, "measured_at": "2026-11-25T06:20:00Z", "minimum_tenths": 180},
                     {"room": "living_room", "tenths": 172, "measured_at": "2026-11-25T06:25:00Z",
                      "minimum_tenths": 180}],
        "after_sales": [{"code": "CL-PPR20", "name": "PP-R 热水管", "terms": "管材及接口质量问题免费返修", "months": 6},
                        {"code": "RG-JB", "name": "基本人工费", "terms": "同一部位同一故障免费返修", "months": 3}],
        "company_materials": [],
        "damages": [],
        "photos": [{"step": "repair", "kind": "after", "sha256": "ab" * 32}],
        "feedback": {"satisfaction": "satisfied", "comment": "师傅很专业,处理及时。"},
        "clause": CLAUSE,
        "signed_at": "2026-11-25T06:30:05Z",
        "signatures": {},
        "replaces": None,
    }
    return {**content, **overrides}


def free_content(**overrides):
    return paid_content(
        lines=[],
        repair={"fault_location": "company", "resolution": "free", "diagnosis": "楼道立管阀门损坏。",
                "result": "已更换立管阀门,恢复正常。"},
        charged=False, price_list_version_id=None, total_fen=0, total_in_capitals=in_capitals(0),
        payment={"method": "none", "collected_fen": 0},
        **overrides,
    )


def sample_document(content=None, **overrides):
    """A signed paid-service slip; `content` keys replace the sample content's keys."""
    signatures = overrides.pop("signatures", None) or {"customer": signature_png(1), "technician": signature_png(2)}
    content = {**paid_content(), **(content or {})}
    content["signatures"] = {party: hashlib.sha256(png).hexdigest() for party, png in signatures.items()}
    fields = {
        "serial": "CD-2026-000137",
        "status": "signed",
        "content": content,
        "content_sha256": digest(content),
        "signatures": signatures,
        "verify_url": VERIFY_URL,
        "company_name": "示范供热有限责任公司",
        "hotline": "968111",
        "complaint_line": "968111 转 9",
        "signed_at": datetime(2026, 11, 25, 6, 30, 5, tzinfo=UTC),
        "reported_at": datetime(2026, 11, 25, 1, 12, tzinfo=UTC),
        "arrived_at": datetime(2026, 11, 25, 5, 40, tzinfo=UTC),
        "finished_at": datetime(2026, 11, 25, 6, 25, tzinfo=UTC),
    }
    return SlipDocument(**{**fields, **overrides})


def crowded_document():
    """The most a slip has to hold on one page: 12 lines, 5 readings, 2 damages, a 500-character comment."""
    lines = [line(f"材料{n:02d}号 加长型号名称", f"DN{15 + n}", "米", 1000 + 137 * n, quantity_centi=50 + 25 * n,
                  supplied_by="customer" if n % 4 == 0 else "company", category="material", code=f"CL-{n:02d}")
             for n in range(11)]
    lines.append(line("基本人工费", "", "次", 3000, category="labour", code="RG-JB", added_for_own_materials=True))
    total = sum(item["amount_fen"] for item in lines)
    rooms = ("bedroom", "living_room", "kitchen", "bathroom", "other")
    content = paid_content(
        lines=lines,
        total_fen=total, total_in_capitals=in_capitals(total),
        payment={"method": "cash", "collected_fen": total},
        readings=[{"room": room, "tenths": 165 + 7 * n} for n, room in enumerate(rooms)],
        damages=["客户自行拆改暖气片导致接口渗水,楼下住户顶棚受潮。", "客户私接地暖分水器,分水器阀门损坏。"],
        feedback={"satisfaction": "fair", "comment": ("维修及时,态度很好,但等待时间稍长。" * 25)[:500]},
    )
    return sample_document(content=content)
