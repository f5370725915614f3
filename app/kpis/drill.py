"""The orders behind a figure, a page at a time, each with why it counted as a hit or a miss.

The rows come from kpi_contributions, the same rows the counters are summed from, so the list holds
exactly the orders a figure counts. Reasons are worked out for the shown page only.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.callbacks.models import SOURCES
from app.callbacks.services import answered_by_order
from app.clocks.services import clocks
from app.extensions import db
from app.households.models import Household
from app.kpis import live
from app.kpis.measures import finished
from app.kpis.models import KpiContribution
from app.localtime import format_local, now_utc
from app.service_slips.content import SATISFACTION
from app.visits import checklist
from app.visits.models import Visit, VisitStep
from app.work_orders.models import WorkOrder
from app.work_orders.vocabulary import STATUSES

PER_PAGE = 50
SHORT = "%m-%d %H:%M"
# What one of a figure's total is, as the tabs and the lines count it: a line is one order and one
# technician, and may hold two answered rounds or two visits.
COUNTED = {"repair_timeliness": "报修", "satisfaction": "回访", "complaint_timeliness": "投诉", "closure": "投诉",
           "complaint_satisfaction": "投诉", "checklist": "入户"}


@dataclass
class Line:
    order: WorkOrder
    technician_id: int  # whom the line is credited to (0: nobody), not always the order's technician now
    hits: int
    total: int
    technician: User | None  # None for nobody
    reasons: list = field(default_factory=list)

    @property
    def hit(self):
        return self.hits == self.total


def counted(kpi, month, branch_id=None, technician_id=None, misses=False, page=1, per_page=PER_PAGE):
    """(lines, has_next): the rows behind one figure — for repair timeliness first the open repairs already
    late (app/kpis/live.py, all misses), then the contribution rows, oldest order first in each."""
    late = live.orders(live.scope((month,), branch_id, technician_id)) if kpi.code == "repair_timeliness" else []
    start = (page - 1) * per_page
    shown_late = [(order_id, technician_id, 0, 1) for order_id, technician_id in late[start:start + per_page]]
    rows, has_next = _contributions(kpi, month, branch_id, technician_id, misses,
                                    offset=max(0, start - len(late)), limit=per_page - len(shown_late))
    rows = shown_late + rows
    orders, people = _orders([row[0] for row in rows]), _people({row[1] for row in rows})
    lines = [Line(orders[order_id], who, hits, total, people.get(who)) for order_id, who, hits, total in rows]
    REASONS[kpi.code](lines)
    return lines, has_next or start + per_page < len(late)


def _contributions(kpi, month, branch_id, technician_id, misses, offset, limit):
    """(rows, more after them): (work order id, technician id, hits, total) from kpi_contributions."""
    c = KpiContribution.__table__.c
    statement = select(c.work_order_id, c.technician_id, c[kpi.hits], c[kpi.total]).where(
        c.month == month, c[kpi.total] > 0)
    if branch_id:
        statement = statement.where(c.branch_id == branch_id)
    if technician_id is not None:
        statement = statement.where(c.technician_id == technician_id)
    if misses:
        statement = statement.where(c[kpi.hits] < c[kpi.total])
    rows = db.session.execute(
        statement.order_by(c.work_order_id, c.technician_id).limit(limit + 1).offset(offset)).all()
    return [tuple(row) for row in rows[:limit]], len(rows) > limit


def _orders(ids):
    statement = select(WorkOrder).where(WorkOrder.id.in_(ids)).options(
        joinedload(WorkOrder.household).joinedload(Household.estate), joinedload(WorkOrder.branch))
    return {order.id: order for order in db.session.execute(statement).scalars()}


def _people(ids):
    return {user.id: user for user in db.session.execute(select(User).where(User.id.in_(ids - {0}))).scalars()}


def duration_text(delta):
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} 天"] * bool(days) + [f"{hours} 小时"] * bool(hours) + [f"{minutes} 分钟"] * bool(minutes)
    return " ".join(parts[:2]) or "不到 1 分钟"


def clock_reason(clock, now=None, label=None):
    """(state, words): which clock (or `label`), and by how much it was met or missed."""
    label, due, state = label or clock.label, format_local(clock.due_at, SHORT), clock.state(now)
    if clock.met_at is None:
        return state, f"{label} 未完成,{unmet(clock, now)}"
    met = format_local(clock.met_at, SHORT)
    if state == "met":
        return state, f"{label} 按时(时限 {due},实际 {met})"
    return state, f"{label} 超时 {duration_text(clock.met_at - clock.due_at)}(时限 {due},实际 {met})"


def unmet(clock, now=None):
    """How a clock not yet met stands: 已超时 … or 未到时限, with its deadline."""
    late = "未到时限"
    if clock.state(now) == "overdue":
        late = f"已超时 {duration_text((now or now_utc()) - clock.due_at)}"
    return f"{late}(时限 {format_local(clock.due_at, SHORT)})"


def _repair_reasons(lines):
    failures = _first_unsolved([line.order.id for line in lines])
    for line in lines:
        failed = failures.get(line.order.id)
        if failed is not None:
            line.reasons = [_failure_reason(failed)]
            continue
        line.reasons = [clock_reason(clock) for clock in clocks(line.order)] or [("met", "无时限要求")]


def _failure_reason(callback):
    """A round the callback found not solved: the order was reopened, so it was not dealt with in time."""
    technician = f" · {callback.technician.name}" if callback.technician else ""
    comment = f":{callback.comment}" if callback.comment else ""
    return "late", (f"第 {callback.round} 次完工{technician}后回访未解决,已退回重新派单"
                    f"({format_local(callback.answered_at, SHORT)}){comment}")


def _first_unsolved(order_ids):
    """{order id: the first answered round found not solved} (measures.reopened_by)."""
    unsolved = {order_id: [c for c in rounds if c.solved is False]
                for order_id, rounds in answered_by_order(order_ids).items()}
    return {order_id: rounds[0] for order_id, rounds in unsolved.items() if rounds}


def _complaint_deadline_reasons(lines):
    failures = _first_unsolved([line.order.id for line in lines])
    for line in lines:
        order = line.order
        if order.id in failures:
            line.reasons = [_failure_reason(failures[order.id])]
            continue
        fixed = next((clock for clock in clocks(order) if clock.name == "fixed"), None)
        if fixed is None:
            line.reasons = [("met" if finished(order) else "running", "无办结时限")]
        elif finished(order):
            line.reasons = [clock_reason(fixed, label="办结")]
        else:
            line.reasons = [(fixed.state(), f"未办结,当前{STATUSES[order.status]};{unmet(fixed)}")]


def _closure_reasons(lines):
    failures = _first_unsolved([line.order.id for line in lines])
    for line in lines:
        order = line.order
        line.reasons = [_failure_reason(failures[order.id])] if order.id in failures else []
        line.reasons.append(("met", f"已办结 {format_local(order.done_at)}") if finished(order)
                            else ("late", f"未办结,当前{STATUSES[order.status]}"))


def _round_answers(lines):
    """Satisfaction: every answered round of the order that was this technician's."""
    answers = answered_by_order([line.order.id for line in lines])
    for line in lines:
        line.reasons = [_answer_reason(callback) for callback in answers.get(line.order.id, [])
                        if (callback.technician_id or 0) == line.technician_id]


def _latest_answer(lines):
    """Complaint satisfaction: the customer's latest answer about the complaint."""
    answers = answered_by_order([line.order.id for line in lines])
    for line in lines:
        rounds = answers.get(line.order.id)
        line.reasons = [_answer_reason(rounds[-1])] if rounds else [("running", "尚未回访")]


def _answer_reason(callback):
    words = SATISFACTION.get(callback.satisfaction, "未记录满意度")
    comment = f":{callback.comment}" if callback.comment else ""
    which = f"第 {callback.round} 次回访:" if callback.round > 1 else ""
    return ("met" if callback.satisfaction == "satisfied" else "late",
            f"{which}{words}({SOURCES.get(callback.source, '回访')} "
            f"{format_local(callback.answered_at)}){comment}")


def _checklist_reasons(lines):
    ids = [line.order.id for line in lines]
    visits = db.session.execute(select(Visit).where(Visit.work_order_id.in_(ids), Visit.finished_at.is_not(None))
                                .order_by(Visit.id)).scalars().all()
    skips = {}
    for step in db.session.execute(select(VisitStep).where(VisitStep.visit_id.in_([v.id for v in visits]),
                                                            VisitStep.outcome == "skipped")).scalars():
        skips.setdefault(step.visit_id, []).append(step)
    for line in lines:
        line.reasons = [_visit_reason(visit, skips.get(visit.id, [])) for visit in visits
                        if visit.work_order_id == line.order.id and visit.technician_id == line.technician_id]


def _visit_reason(visit, skipped):
    when = format_local(visit.started_at)
    if not skipped:
        return "met", f"{when} 入户:九步全部完成"
    steps = "、".join(f"{checklist.BY_CODE[s.step].label}({s.reason or '未说明'})" for s in skipped)
    return "late", f"{when} 入户:跳过 {steps}"


REASONS = {
    "repair_timeliness": _repair_reasons,
    "satisfaction": _round_answers,
    "complaint_timeliness": _complaint_deadline_reasons,
    "closure": _closure_reasons,
    "complaint_satisfaction": _latest_answer,
    "checklist": _checklist_reasons,
}
