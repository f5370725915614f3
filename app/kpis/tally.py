"""Keeping the counters current, in the same transaction as the change that moves them.

After every flush, each order whose KPI inputs changed (its own stamps, status, technician; a callback
on it; a visit to it) has its contribution recomputed from what is now in the database; the
difference from the stored contribution is added to the counters with one atomic upsert per key.
Recomputed, never added: a reopened order that is completed again replaces what it added before.
Why a session event rather than calls in the services: docs/kpis.md.
"""
from types import SimpleNamespace

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from app.callbacks.models import ANSWERED, Callback
from app.database import upsert_insert
from app.kpis.measures import CLOCK_COLUMNS, Answer, contributions, is_finished, status_counts_as
from app.kpis.models import TALLIES, KpiContribution, KpiCount
from app.kpis.months import month_of
from app.localtime import now_utc
from app.locks import lock_id
from app.visits.models import Visit, VisitStep
from app.work_orders.models import WorkOrder

# What an order's figures depend on; a change to anything else (a description, next_due_at) is ignored.
WATCHED = ("status", "category", "branch_id", "technician_id", "opened_month", "created_at", "dispatched_at",
           "contact_due_at", "on_site_due_at", "fixed_due_at", "contacted_at", "arrived_at", "done_at")
ORDER_COLUMNS = [WorkOrder.__table__.c[name] for name in ("id", *WATCHED)]
# By model: the columns whose change moves a figure, and the attribute naming the order.
TOUCHES = {WorkOrder: (WATCHED, "id"),
           Callback: (("status", "solved", "satisfaction", "technician_id", "work_order_id"), "work_order_id"),
           Visit: (("finished_at",), "work_order_id")}


@event.listens_for(Session, "before_flush")
def _month_follows_opening(session, _context, _instances):
    """opened_month is the Beijing month of created_at; demo data and tests move created_at back in time."""
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, WorkOrder) and (obj in session.new or _changed(obj, ("created_at",))):
            if obj.created_at is None:
                obj.created_at = now_utc()
            month = month_of(obj.created_at)
            if obj.opened_month != month:
                obj.opened_month = month


@event.listens_for(Session, "after_flush")
def _follow_changes(session, _context):
    order_ids = touched_orders(session)
    if order_ids:
        refresh(session, order_ids)


# Columns whose figures depend on less than their value: changed only if this changes.
COUNTS_AS = {"status": status_counts_as}


UNKNOWN = object()


def _changed(obj, names):
    state = inspect(obj)
    moved = {name for name in names if _moves(name, state.attrs[name].history)}
    if isinstance(obj, WorkOrder) and moved and _only_clocks_of_unfinished(state, moved):
        return False
    return bool(moved)


def _only_clocks_of_unfinished(state, moved):
    """Only clock columns moved, on an order finished neither before nor after the change (arrive, contact):
    no figure reads them. A new order, or one whose earlier status or done_at is unknown, is recomputed."""
    if not moved <= set(CLOCK_COLUMNS):
        return False
    before = [_before(state.attrs[name].history) for name in ("status", "done_at")]
    if UNKNOWN in before:
        return False
    return not is_finished(*before) and not is_finished(state.obj().status, state.obj().done_at)


def _before(history):
    """The value before this flush: the replaced one, or the unchanged one."""
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return UNKNOWN  # never loaded (expired, or a column a new row was not given)


def _moves(name, history):
    if not history.has_changes():
        return False
    counts_as = COUNTS_AS.get(name)
    if counts_as is None or not history.deleted or not history.added:  # a new row counts by what it was given
        return True
    return any(counts_as(old) != counts_as(new) for old in history.deleted for new in history.added)


def touched_orders(session):
    """Ids of the orders whose figures this flush may have changed: an order's watched columns, a callback's
    answer, a visit's end. Visit steps are left out: they are all recorded before 一别, which ends the visit
    (and a step after it is refused), so an unfinished visit's steps change no figure yet."""
    order_ids = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        watched, order_id = TOUCHES.get(type(obj), ((), None))
        # A new row counts by what it was given: a visit just opened (no finished_at yet) moves nothing.
        if order_id and (obj in session.deleted or _changed(obj, watched)):
            order_ids.add(getattr(obj, order_id))
    order_ids.discard(None)
    return order_ids


def refresh(session, order_ids):
    """Recompute these orders' contributions and move the counters by the difference."""
    connection = session.connection()
    deltas = {}
    for order_id in sorted(order_ids):
        _lock(session, order_id)
        old, new = stored(connection, order_id), computed(connection, order_id)
        if old == new:
            continue
        _replace(connection, order_id, new)
        for key in old.keys() | new.keys():
            before, after = old.get(key, {}), new.get(key, {})
            delta = deltas.setdefault(key, dict.fromkeys(TALLIES, 0))
            for name in TALLIES:
                delta[name] += after.get(name, 0) - before.get(name, 0)
    for key in sorted(deltas):  # one order of keys for every writer: no deadlock between two of them
        if any(deltas[key].values()):
            add_to_counts(connection, key, deltas[key])


def _lock(session, order_id):
    """Two transactions changing the same order (one answers its callback, one reopens it) take turns
    here on PostgreSQL, so each recomputes from the other's committed result. SQLite has one writer."""
    lock_id(session, WorkOrder.id, order_id)


def computed(connection, order_id):
    """{(month, branch_id, technician_id): tallies} as the order stands now in this transaction."""
    row = connection.execute(select(*ORDER_COLUMNS).where(WorkOrder.id == order_id)).first()
    if row is None:
        return {}
    order = SimpleNamespace(**row._mapping)
    answers = [Answer(row.round, row.technician_id, row.satisfaction or "", row.solved) for row in connection.execute(
        select(Callback.round, Callback.technician_id, Callback.satisfaction, Callback.solved)
        .where(Callback.work_order_id == order_id, Callback.status == ANSWERED).order_by(Callback.round))]
    skipped = (select(func.count()).where(VisitStep.visit_id == Visit.id, VisitStep.outcome == "skipped")
               .scalar_subquery())
    visits = connection.execute(
        select(Visit.technician_id, skipped).where(Visit.work_order_id == order_id, Visit.finished_at.is_not(None))
    ).all()
    rows = contributions(order, answers, [(technician_id, count == 0) for technician_id, count in visits])
    return {(order.opened_month, order.branch_id, technician_id): tallies for technician_id, tallies in rows.items()}


def stored(connection, order_id):
    rows = connection.execute(select(KpiContribution.__table__).where(KpiContribution.work_order_id == order_id))
    return {(row.month, row.branch_id, row.technician_id): {name: getattr(row, name) for name in TALLIES}
            for row in rows}


def _replace(connection, order_id, contribution):
    table = KpiContribution.__table__
    connection.execute(delete(table).where(table.c.work_order_id == order_id))
    if contribution:
        connection.execute(insert(table), [
            {"work_order_id": order_id, "month": month, "branch_id": branch_id, "technician_id": technician_id,
             **tallies}
            for (month, branch_id, technician_id), tallies in contribution.items()
        ])


def add_to_counts(connection, key, delta):
    """counts += delta for one (month, branch, technician), in one statement that also creates the row."""
    month, branch_id, technician_id = key
    table = KpiCount.__table__
    insert_ = upsert_insert(connection.dialect.name)
    statement = insert_(table).values(month=month, branch_id=branch_id, technician_id=technician_id, **delta)
    return connection.execute(statement.on_conflict_do_update(
        index_elements=["month", "branch_id", "technician_id"],
        set_={name: table.c[name] + statement.excluded[name] for name in delta},
    ))
