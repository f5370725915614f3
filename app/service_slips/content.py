"""What a customer signs: the slip's content as one JSON document, and its SHA-256.

The phone builds the same document from what it showed the customer and hashes it the same way
(`static/js/slips/content.js`); the server rebuilds it from what it stores and refuses a mismatch.
The shape is in docs/slips.md. Only integers, strings, booleans and null appear in it, so both sides
write it byte for byte alike: keys sorted, no spaces, UTF-8, non-ASCII characters as themselves.
"""
import hashlib
import json
from datetime import UTC

from app.price_list.money import in_capitals

VERSION = 3
# What a phone still running an older app signs (v2: no materials the company bore; v1: also readings
# without time or standard, no after-sales terms): kept when it matches byte for byte, so a slip signed
# offline across an upgrade is not lost.
VERSIONS = (3, 2, 1)

CLAUSE = ("本服务单由客户与维修人员在移动终端上以手写电子签名确认,双方同意其与纸质签字具有同等效力;"
          "签名后内容不可更改,如需更正,须作废后重新开具。")

PAYMENT_METHODS = {"cash": "现金", "wechat": "微信支付", "alipay": "支付宝", "unpaid": "未付款", "none": "无需付费"}
COLLECTING_METHODS = ("cash", "wechat", "alipay")
SATISFACTION = {"satisfied": "满意", "fair": "基本满意", "dissatisfied": "不满意"}
PARTIES = {"customer": "客户签名", "technician": "维修人员签名"}
COPIES = (("customer", "第一联", "客户联"), ("branch", "第二联", "分公司联"),
          ("service_department", "第三联", "客服部联"))


def canonical(document):
    """The exact bytes that are hashed."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(document):
    return sha256_hex(canonical(document))


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def utc_text(moment):
    """2026-11-25T06:30:05Z: UTC to the second, the only way a time is written in the document."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def differing_keys(ours, theirs):
    """Top-level keys whose values differ, so a refusal can say what the phone saw differently."""
    if not isinstance(theirs, dict):
        return sorted(ours)
    return sorted(key for key in set(ours) | set(theirs) if ours.get(key) != theirs.get(key))


def line_entry(line):
    return {
        "code": line.code, "name": line.name, "specification": line.specification, "unit": line.unit,
        "category": line.category, "quantity_centi": line.quantity_centi, "supplied_by": line.supplied_by,
        "unit_price_fen": line.unit_price_fen, "amount_fen": line.amount_fen,
        "added_for_own_materials": bool(line.added_for_own_materials),
    }


def photo_entries(photos):
    entries = [{"step": p.step, "kind": p.kind, "sha256": p.upload_sha256 or p.sha256} for p in photos]
    return sorted(entries, key=lambda e: (e["step"], e["kind"], e["sha256"]))


def reading_entry(reading):
    return {"room": reading.room, "tenths": reading.tenths, "measured_at": utc_text(reading.measured_at),
            "minimum_tenths": reading.minimum_tenths}


def after_sales_entries(lines, terms_of):
    """The after-sales terms (售后服务, 001 四.14) of what the company supplied or did: one entry per line
    whose item has terms; `terms_of(price_item_id)` gives (terms, months). The customer's own material is
    theirs to guarantee."""
    entries = []
    for line in lines:
        terms, months = terms_of(line.price_item_id) if line.supplied_by == "company" else ("", 0)
        if terms:
            entries.append({"code": line.code, "name": line.name, "terms": terms, "months": months})
    return entries


def company_material_entries(movements):
    """Materials used at no charge (公司承担), one entry per material, quantities summed, by code."""
    entries = {}
    for movement in movements:
        material = movement.material
        entry = entries.setdefault(material.code, {
            "code": material.code, "name": material.name, "specification": material.specification,
            "unit": material.unit, "quantity_centi": 0})
        entry["quantity_centi"] += movement.quantity_centi
    return [entries[code] for code in sorted(entries)]


def build(order, visit, signing, version=VERSION):
    """The document as the server sees it. `signing` carries what only the signing adds (services.Signing);
    `version` 2 is the shape before materials the company bore, 1 also before after-sales terms and reading
    times (VERSIONS)."""
    household, technician, repair = order.household, order.technician, visit.repair
    total = sum(line.amount_fen for line in signing.lines)
    document = {
        "v": VERSION,
        "order": {"number": order.number, "category": order.category, "description": order.description},
        "customer": {"account_number": household.account_number, "name": household.name,
                     "phone": household.phone, "address": household.address},
        "technician": {"name": technician.name, "badge_number": technician.badge_number},
        "branch": order.branch.name,
        "repair": {"fault_location": repair.fault_location, "resolution": repair.resolution,
                   "diagnosis": repair.diagnosis, "result": repair.result},
        "charged": signing.charged,
        "price_list_version_id": signing.version_id,
        "lines": [line_entry(line) for line in signing.lines],
        "total_fen": total,
        "total_in_capitals": in_capitals(total),
        "payment": {"method": signing.payment_method, "collected_fen": signing.collected_fen},
        "readings": [reading_entry(r) for r in visit.readings],
        "after_sales": after_sales_entries(signing.lines, signing.terms_of),
        "company_materials": company_material_entries(visit.materials),
        "damages": [d.description for d in visit.damages],
        "photos": photo_entries(visit.photos),
        "feedback": {"satisfaction": signing.satisfaction, "comment": signing.comment},
        "clause": CLAUSE,
        "signed_at": utc_text(signing.signed_at),
        "signatures": {party: sha256_hex(png) for party, png in sorted(signing.signatures.items())},
        "replaces": signing.replaces,
    }
    if version <= 2:
        document["v"] = 2
        del document["company_materials"]
    if version == 1:
        document["v"] = 1
        document["readings"] = [{"room": r.room, "tenths": r.tenths} for r in visit.readings]
        del document["after_sales"]
    return document
