"""The monthly complaint ledger (投诉台账, 002 4.4): every complaint opened in the month, one row each."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.callbacks.services import answered_by_order
from app.extensions import db
from app.households.models import Household
from app.kpis.measures import BY_CODE, COMPLAINT, Answer, Figure, finished, own_share, reopened_by
from app.localtime import format_local
from app.service_slips.content import SATISFACTION
from app.work_orders.models import StatusChange, WorkOrder
from app.work_orders.vocabulary import CHANNELS, STATUSES

FIGURES = ("complaint_timeliness", "closure", "complaint_satisfaction")
COLUMNS = ("序号", "工单号", "受理时间", "受理渠道", "客户", "户号", "联系电话", "地址", "投诉内容", "分公司",
           "处理人", "派单时间", "办结时间", "办结时限", "处理结果", "回访满意度", "是否及时办结", "状态")


@dataclass
class Entry:
    order: WorkOrder
    result: str
    satisfaction: str
    answers: list  # measures.Answer, by round

    @property
    def tallies(self):
        """What it adds to the complaint figures (measures.own_share), or None when it is in none."""
        share = own_share(self.order, self.answers)
        return share[1] if share else None

    @property
    def assigned(self):
        return self.tallies is not None

    @property
    def timely_text(self):
        tallies = self.tallies
        if tallies is None:
            return "不计(未派单或已取消)"
        if reopened_by(self.answers) is not None and not tallies["complaints_closed"]:
            return "否(回访未解决,重新处理中)"
        if not tallies["complaints_closed"]:
            return "未办结"
        return "是" if tallies["complaints_timely"] else "否"

    def cells(self, number):
        order, household = self.order, self.order.household
        return (number, order.number, format_local(order.created_at), CHANNELS.get(order.channel, order.channel),
                household.name, household.account_number, household.phone, household.address, order.description,
                order.branch.name, order.technician.name if order.technician else "",
                format_local(order.dispatched_at), format_local(order.done_at) if finished(order) else "",
                format_local(order.fixed_due_at), self.result, self.satisfaction, self.timely_text,
                STATUSES[order.status])


def complaints(month, branch_id=None):
    """The month's complaints in the order they were received; three queries whatever their number."""
    where = [WorkOrder.opened_month == month, WorkOrder.category == COMPLAINT]
    if branch_id:
        where.append(WorkOrder.branch_id == branch_id)
    orders = db.session.execute(select(WorkOrder).where(*where).order_by(WorkOrder.created_at, WorkOrder.id).options(
        joinedload(WorkOrder.household).joinedload(Household.estate), joinedload(WorkOrder.branch),
        joinedload(WorkOrder.technician),
    )).scalars().all()
    ids = select(WorkOrder.id).where(*where)
    results, answers = _results(ids), answered_by_order(ids)
    entries = []
    for order in orders:
        rounds = answers.get(order.id, [])
        said = _said(rounds[-1]) if rounds else ("未回访" if finished(order) else "")
        entries.append(Entry(order, results.get(order.id, ""), said,
                             [Answer(c.round, c.technician_id, c.satisfaction or "", c.solved) for c in rounds]))
    return entries


def figures(entries):
    """The page's three complaint figures, summed from the entries' own tallies as the counters are."""
    assigned = [entry.tallies for entry in entries if entry.assigned]
    return [Figure(kpi, sum(t[kpi.hits] for t in assigned), sum(t[kpi.total] for t in assigned))
            for kpi in (BY_CODE[code] for code in FIGURES)]


def _results(ids):
    """What the latest round says was done: the note on 完工 or the cancel reason, if nothing reopened the
    order since (a reopened complaint shows the reopen's reason until it is dealt with again)."""
    rows = db.session.execute(
        select(StatusChange.work_order_id, StatusChange.action, StatusChange.note)
        .where(StatusChange.work_order_id.in_(ids), StatusChange.action.in_(("complete", "cancel", "reopen")))
        .order_by(StatusChange.id)).all()
    results = {}
    for order_id, action, note in rows:
        results[order_id] = f"回访未解决,重新处理:{note}" if action == "reopen" else (note or "")
    return results


def _said(callback):
    return SATISFACTION.get(callback.satisfaction, "") + (f"({callback.comment})" if callback.comment else "")
