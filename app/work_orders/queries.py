"""Lists of work orders: the dispatch board and the technician's jobs, nearest deadline first."""
import functools

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.households.models import Household
from app.localtime import now_utc
from app.work_orders.models import WorkOrder
from app.work_orders.vocabulary import LOAD_STATUSES, OPEN_STATUSES

# Both orders end on the id, so a page never shows an order twice or skips one when times tie.
# BY_DEADLINE is read off ix_work_orders_status_deadline (status, next_due_at, appointment_at, created_at):
# the ids of a whole backlog are sorted from the index alone, no table row is read before the LIMIT.
BY_DEADLINE = (
    WorkOrder.next_due_at.asc().nulls_last(),
    WorkOrder.appointment_at.asc().nulls_last(),
    WorkOrder.created_at.asc(),
    WorkOrder.id.asc(),
)
NEWEST_FIRST = (WorkOrder.created_at.desc(), WorkOrder.id.desc())


@functools.cache
def details():
    """Where the order is and who has it, loaded with it (lists, a job, a locked order). Made once: loader
    options are immutable, and a statement built from the same ones is keyed for the cache faster."""
    return (joinedload(WorkOrder.household).joinedload(Household.estate), joinedload(WorkOrder.branch),
            joinedload(WorkOrder.area), joinedload(WorkOrder.technician))


def with_details(statement):
    return statement.options(*details())


def filtered(actor, status=None, category=None, branch_id=None, area_id=None, technician_id=None,
             overdue=None, open=True, **_ignored):
    statement = db.select(WorkOrder)
    if actor.role == "technician":
        statement = statement.where(WorkOrder.technician_id == actor.id)
    if status:
        statement = statement.where(WorkOrder.status.in_(status))
    elif open:
        statement = statement.where(WorkOrder.status.in_(OPEN_STATUSES))
    for column, value in (
        (WorkOrder.category, category),
        (WorkOrder.branch_id, branch_id),
        (WorkOrder.area_id, area_id),
        (WorkOrder.technician_id, technician_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if overdue is True:
        statement = statement.where(WorkOrder.next_due_at < now_utc())
    return statement


def page_of(statement, page, per_page, order=BY_DEADLINE):
    # Counted over the statement as a subquery: with_only_columns(count) would drop the FROM of a statement
    # that has no WHERE naming its table, and count one row (the API's ?open=false without filters did).
    total = db.session.execute(db.select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    # The page's ids first, sorted on the index, then the details of those rows only: joining every open
    # order to its household, branch and technician before sorting made the board grow with the backlog.
    ids = db.session.execute(
        statement.with_only_columns(WorkOrder.id).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    found = db.session.execute(with_details(db.select(WorkOrder).where(WorkOrder.id.in_(ids)))).scalars().all() \
        if ids else []
    by_id = {order.id: order for order in found}
    return {"items": [by_id[id_] for id_ in ids], "total": total, "page": page, "per_page": per_page}


def my_jobs(technician):
    statement = db.select(WorkOrder).where(
        WorkOrder.technician_id == technician.id, WorkOrder.status.in_(LOAD_STATUSES)
    )
    return db.session.execute(with_details(statement.order_by(*BY_DEADLINE))).scalars().all()
