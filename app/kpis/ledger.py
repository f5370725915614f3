"""The monthly complaint ledger (投诉台账, 002 4.4): every complaint opened in the month, one row each."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.callbacks.models import ANSWERED, SATISFACTION, Callback
from app.extensions import db
from app.households.models import Household
from app.kpis.measures import COMPLAINT, complaint_in_time, finished
from app.localtime import format_local
from app.work_orders.models import StatusChange, WorkOrder
from app.work_orders.vocabulary import CHANNELS, STATUSES

COLUMNS = ("序号", "工单号", "受理时间", "受理渠道", "客户", "户号", "联系电话", "地址", "投诉内容", "分公司",
           "处理人", "派单时间", "办结时间", "办结时限", "处理结果", "回访满意度", "是否及时办结", "状态")


@dataclass
class Entry:
    order: WorkOrder
    result: str
    satisfaction: str

    @property
    def assigned(self):
        return self.order.dispatched_at is not None and self.order.status != "cancelled"

    @property
    def timely_text(self):
        if not self.assigned:
            return "不计(未派单或已取消)"
        if not finished(self.order):
            return "未办结"
        return "是" if complaint_in_time(self.order) else "否"

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
    results, answers = _results(ids), _answers(ids)
    return [Entry(order, results.get(order.id, ""), answers.get(order.id, "未回访" if finished(order) else ""))
            for order in orders]


def _results(ids):
    """What the completion says was done (the note on 完工, or the cancel reason); the latest wins."""
    rows = db.session.execute(
        select(StatusChange.work_order_id, StatusChange.note)
        .where(StatusChange.work_order_id.in_(ids), StatusChange.action.in_(("complete", "cancel")),
               StatusChange.note.is_not(None))
        .order_by(StatusChange.id)).all()
    return dict(rows)


def _answers(ids):
    rows = db.session.execute(
        select(Callback.work_order_id, Callback.satisfaction, Callback.comment)
        .where(Callback.work_order_id.in_(ids), Callback.status == ANSWERED).order_by(Callback.round)).all()
    return {row.work_order_id: SATISFACTION.get(row.satisfaction, "") + (f"({row.comment})" if row.comment else "")
            for row in rows}
