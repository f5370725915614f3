"""What the counters cannot hold: repairs still open that are already late.

The counters move when something is written. A repair that misses its on-site time while nobody touches
it writes nothing, yet it is already not timely: leaving it out until it is finished would let a month
read 100% with repairs overdue. So the figures add, at read time, the open repairs of the month with a
clock missed (met late, or past due and not met). Open orders are few (a city company has hundreds, not
millions), and the status index finds them.
"""
from sqlalchemy import and_, exists, func, or_, select

from app.callbacks.models import Callback
from app.extensions import db
from app.kpis.measures import REPAIR_CATEGORIES
from app.localtime import now_utc
from app.work_orders.models import WorkOrder
from app.work_orders.vocabulary import OPEN_STATUSES

KEYS = {"month": WorkOrder.opened_month, "branch_id": WorkOrder.branch_id,
        "technician_id": func.coalesce(WorkOrder.technician_id, 0)}
CLOCKS = ((WorkOrder.contact_due_at, WorkOrder.contacted_at), (WorkOrder.on_site_due_at, WorkOrder.arrived_at),
          (WorkOrder.fixed_due_at, WorkOrder.done_at))


def late_open_repairs(now=None):
    """The condition: an open repair (never found not solved: that one is in the counters already) with a
    clock met late or past due and not met."""
    now = now or now_utc()
    missed = or_(*(and_(due.is_not(None), or_(and_(met.is_(None), due < now), met > due)) for due, met in CLOCKS))
    # solved is only ever set by an answer; without a status term the lookup uses (work_order_id, round).
    reopened = exists().where(Callback.work_order_id == WorkOrder.id, Callback.solved.is_(False))
    return and_(WorkOrder.status.in_(OPEN_STATUSES), WorkOrder.category.in_(REPAIR_CATEGORIES), missed, ~reopened)


def scope(months, branch_id=None, technician_id=None):
    where = [WorkOrder.opened_month.between(months[0], months[-1])]
    if branch_id:
        where.append(WorkOrder.branch_id == branch_id)
    if technician_id is not None:
        where.append(KEYS["technician_id"] == technician_id)
    return where


def counts(where, by=()):
    """{key: how many}, the key a tuple of the `by` names' values (month, branch_id, technician_id)."""
    columns = [KEYS[name] for name in by]
    statement = _from_open_orders(select(*columns, func.count()).where(late_open_repairs(), *where))
    if columns:
        statement = statement.group_by(*columns)
    return {tuple(row[:-1]): row[-1] for row in db.session.execute(statement)}


def orders(where):
    """(work order id, technician id) of each, oldest order first: the drill-down's first lines."""
    statement = _from_open_orders(select(WorkOrder.id, KEYS["technician_id"]).where(late_open_repairs(), *where))
    return db.session.execute(statement.order_by(WorkOrder.id)).all()


def _from_open_orders(statement):
    """Start from the few open orders (the status index), not from a month's or a category's many: without
    statistics SQLite would walk every repair of the company; with the ids listed first it looks each up."""
    open_ids = select(WorkOrder.id).where(WorkOrder.status.in_(OPEN_STATUSES))
    return statement.where(WorkOrder.id.in_(open_ids))
