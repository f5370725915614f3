"""The callback queue: pending tasks by due time, and how each stands against its window, in words."""
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from app.callbacks.models import ANSWERED, PENDING, Callback
from app.callbacks.windows import first_daytime
from app.extensions import db
from app.households.models import Household
from app.localtime import format_local, now_utc, to_local
from app.work_orders.appointments import is_night
from app.work_orders.models import WorkOrder

# Under this many minutes a running window turns amber, as the board's clocks do (static/js/clocks).
SOON_MINUTES = 15


def filtered(status=PENDING, branch_id=None, overdue=False, now=None):
    statement = db.select(Callback).where(Callback.status == status)
    if branch_id is not None:
        statement = statement.where(Callback.branch_id == branch_id)
    if overdue:
        statement = statement.where(Callback.status == PENDING, Callback.due_by < (now or now_utc()))
    if status == ANSWERED:
        return statement.order_by(Callback.answered_at.desc(), Callback.id.desc())
    return statement.order_by(Callback.due_by, Callback.id)


def page_of(statement, page=1, per_page=50):
    total = db.session.execute(statement.with_only_columns(func.count()).order_by(None)).scalar_one()
    items = db.session.execute(
        statement.options(
            joinedload(Callback.work_order).joinedload(WorkOrder.household).joinedload(Household.estate),
            joinedload(Callback.technician), joinedload(Callback.branch), joinedload(Callback.answered_by),
            joinedload(Callback.slip_rating), selectinload(Callback.attempts),
        ).limit(per_page).offset((page - 1) * per_page)
    ).unique().scalars().all()
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def counts(branch_id=None, now=None):
    """How many are pending, and how many of those are overdue: the queue's tabs."""
    base = filtered(PENDING, branch_id)
    pending = db.session.execute(base.with_only_columns(func.count()).order_by(None)).scalar_one()
    late = filtered(PENDING, branch_id, overdue=True, now=now)
    overdue = db.session.execute(late.with_only_columns(func.count()).order_by(None)).scalar_one()
    return {"pending": pending, "overdue": overdue}


@dataclass(frozen=True)
class DueState:
    state: str  # overdue | soon | ok | waiting (not yet in its window) | answered
    text: str


def due_state(callback, now=None):
    now = now or now_utc()
    if callback.status != PENDING:
        return DueState("answered", "已回访")
    if now < callback.due_from:
        return DueState("waiting", f"{_when(callback.due_from, now)} 后可回访")
    left = callback.due_by - now
    if callback.daytime_only and left.total_seconds() > 0 and is_night(now):  # 003: never 20:00–08:00
        return DueState("waiting", f"夜间不打扰,{_when(first_daytime(now), now)} 后可回访")
    if left.total_seconds() <= 0:
        return DueState("overdue", _words("已超时", -left.total_seconds()))
    return DueState("soon" if left.total_seconds() < SOON_MINUTES * 60 else "ok", _words("还剩", left.total_seconds()))


def retry_text(callback, now=None):
    """未接通 2 次,约 14:30 再拨 — or nothing when every call got through."""
    if not callback.attempts:
        return ""
    last = callback.attempts[-1]
    text = f"未接通 {len(callback.attempts)} 次"
    if last.retry_at is not None:
        text += f",约 {_when(last.retry_at, now or now_utc())} 再拨"
    return text


def _when(moment, now):
    """The time alone today ("08:00"), else with the date ("11-27 08:00")."""
    same_day = to_local(moment).date() == to_local(now).date()
    return format_local(moment, "%H:%M" if same_day else "%m-%d %H:%M")


def _words(prefix, seconds):
    return f"{prefix}不到 1 分钟" if seconds < 60 else f"{prefix} {span(seconds)}"


def span(seconds):
    """Whole units, largest first, at most two, rounded down — as static/js/clocks/countdown.js says them."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} 小时 {rest} 分钟" if rest else f"{hours} 小时"
    days, rest = divmod(minutes, 24 * 60)
    hours = rest // 60
    return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
