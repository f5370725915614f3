"""The counters recomputed from scratch in set-based SQL: the same rules as `measures.contributions`.

Three kinds of rows, each under the technician whose work it judges, are summed per order and
technician into kpi_contributions, then per month, branch and technician into kpi_counts. Nothing is
loaded into Python; on a million orders this is a few INSERT ... SELECT statements.
"""
from sqlalchemy import and_, case, delete, exists, func, insert, literal, or_, select, text, union_all

from app.callbacks.models import ANSWERED, Callback
from app.kpis.measures import COMPLAINT, FINISHED, REPAIR_CATEGORIES, SATISFIED
from app.kpis.models import TALLIES, KpiContribution, KpiCount
from app.visits.models import Visit, VisitStep
from app.work_orders.models import WorkOrder

orders = WorkOrder.__table__


def _flag(condition):
    return case((condition, 1), else_=0)


def _row(key_columns, **tallies):
    """A select list: the key, then every tally (0 unless given)."""
    return [*key_columns, *(tallies.get(name, literal(0)).label(name) for name in TALLIES)]


def _with_answers():
    """Each order with its latest answer's satisfaction and whose round was first found not solved
    (`measures.reopened_by`). Correlated lookups on (work_order_id, round), not joins: SQLite would
    rescan a joined subquery per order."""
    answered = and_(Callback.work_order_id == orders.c.id, Callback.status == ANSWERED)
    latest = select(Callback.satisfaction).where(answered).order_by(Callback.round.desc()).limit(1)
    failed_by = select(func.coalesce(Callback.technician_id, 0)).where(
        answered, Callback.solved.is_(False)).order_by(Callback.round).limit(1)
    return select(orders, latest.scalar_subquery().label("latest"),
                  failed_by.scalar_subquery().label("failed_by")).subquery()


def _order_rows():
    o = _with_answers().c
    failed = o.failed_by.is_not(None)
    finished = and_(o.status.in_(FINISHED), o.done_at.is_not(None))
    repair = and_(o.category.in_(REPAIR_CATEGORIES), or_(failed, finished))
    complaint = and_(o.category == COMPLAINT, or_(failed, o.dispatched_at.is_not(None)))
    # Each clock of app/clocks (clocks.clocks): its deadline and the stamp that meets it.
    clocks = ((o.contact_due_at, o.contacted_at), (o.on_site_due_at, o.arrived_at), (o.fixed_due_at, o.done_at))
    timely = and_(~failed, *(or_(due.is_(None), and_(met.is_not(None), met <= due)) for due, met in clocks))
    in_limit = and_(~failed, finished, or_(o.fixed_due_at.is_(None), o.done_at <= o.fixed_due_at))
    satisfied = func.coalesce(o.latest, "") == SATISFIED
    key = (o.id.label("work_order_id"), func.coalesce(o.failed_by, o.technician_id, 0).label("technician_id"))
    return select(*_row(
        key,
        repairs=_flag(repair), repairs_timely=_flag(and_(repair, timely)),
        complaints=_flag(complaint), complaints_timely=_flag(and_(complaint, in_limit)),
        complaints_closed=_flag(and_(complaint, finished)), complaints_satisfied=_flag(and_(complaint, satisfied)),
    )).where(or_(o.status != "cancelled", failed), or_(repair, complaint))


def _answer_rows():
    """Every answered round, under its technician (`measures.contributions`)."""
    key = (Callback.work_order_id, func.coalesce(Callback.technician_id, 0).label("technician_id"))
    return select(*_row(key, asked=literal(1), satisfied=_flag(Callback.satisfaction == SATISFIED))).where(
        Callback.status == ANSWERED)


def _visit_rows():
    skipped = exists().where(VisitStep.visit_id == Visit.id, VisitStep.outcome == "skipped")
    return select(*_row((Visit.work_order_id, Visit.technician_id), visits=literal(1),
                        visits_complete=_flag(~skipped))).where(Visit.finished_at.is_not(None))


def rebuild_all(connection):
    """Replace both tables. On PostgreSQL the exclusive lock makes a concurrent change wait for the new
    counters (and the rebuild wait for a change already under way), so none is lost or counted twice."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE kpi_contributions, kpi_counts IN ACCESS EXCLUSIVE MODE"))
    contributions, counts = KpiContribution.__table__, KpiCount.__table__
    connection.execute(delete(counts))
    connection.execute(delete(contributions))
    parts = union_all(_order_rows(), _answer_rows(), _visit_rows()).subquery()
    per_order = select(
        parts.c.work_order_id, parts.c.technician_id, orders.c.opened_month, orders.c.branch_id,
        *(func.sum(parts.c[name]) for name in TALLIES),
    ).join_from(parts, orders, orders.c.id == parts.c.work_order_id).group_by(
        parts.c.work_order_id, parts.c.technician_id, orders.c.opened_month, orders.c.branch_id)
    connection.execute(insert(contributions).from_select(
        ["work_order_id", "technician_id", "month", "branch_id", *TALLIES], per_order))
    keys = (contributions.c.month, contributions.c.branch_id, contributions.c.technician_id)
    connection.execute(insert(counts).from_select(
        ["month", "branch_id", "technician_id", *TALLIES],
        select(*keys, *(func.sum(contributions.c[name]) for name in TALLIES)).group_by(*keys)))
