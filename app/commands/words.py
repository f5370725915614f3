"""What a phone's command said, in words a dispatcher reads (出发; 一敲 · 完成; 测温 卧室 17.5 °C), for the
order page's list of records the server refused. Never the raw JSON: a field a newer phone adds is left out,
not shown as code."""
from app.price_list.money import format_fen
from app.visits import checklist
from app.work_orders.vocabulary import ACTIONS

OUTCOMES = {"done": "完成", "skipped": "跳过"}


def _step(code):
    step = checklist.BY_CODE.get(code)
    return f"{step.label}({step.title})" if step else (code or "")


def _clip(text, limit=80):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def _transition(p):
    return ACTIONS.get(p.get("action"), p.get("action") or "")


def _step_record(p):
    words = f"{_step(p.get('step'))} · {OUTCOMES.get(p.get('outcome'), p.get('outcome') or '')}"
    if p.get("reason"):
        words += f":{_clip(p['reason'])}"
    return words + (f"(备注:{_clip(p['note'])})" if p.get("note") else "")


def _reading(p):
    room = checklist.ROOMS.get(p.get("room"), p.get("room") or "")
    celsius = p.get("celsius")
    return f"{room} {celsius} °C" if celsius is not None else room


def _repair(p):
    where = checklist.FAULT_LOCATIONS.get(p.get("fault_location"), p.get("fault_location") or "")
    how = checklist.RESOLUTIONS.get(p.get("resolution"), p.get("resolution") or "")
    return f"{where} · {how};诊断:{_clip(p.get('diagnosis'))};结果:{_clip(p.get('result'))}"


def _photo(p):
    return f"{_step(p.get('step'))} · {checklist.PHOTO_KINDS.get(p.get('kind'), p.get('kind') or '')}照片"


def _signing(p):
    content = p.get("content") or {}
    total = content.get("total_fen") if isinstance(content, dict) else None
    money = format_fen(total) if isinstance(total, int) else "—"
    return f"应收 {money} · 签名时间 {p.get('signed_at') or '—'}"


DESCRIBE = {
    "transition": _transition,
    "step": _step_record,
    "note": lambda p: f"{_step(p['step']) + ':' if p.get('step') else ''}{_clip(p.get('text'))}",
    "reading": _reading,
    "repair": _repair,
    "damage": lambda p: _clip(p.get("description")),
    "photo": _photo,
    "sign_slip": _signing,
}


def command_words(command):
    payload = command.payload if isinstance(command.payload, dict) else {}
    describe = DESCRIBE.get(command.type)
    try:
        return describe(payload) if describe else ""
    except (AttributeError, KeyError, TypeError, ValueError):
        return ""  # a payload the server refused for its shape: the type and the reason say enough
