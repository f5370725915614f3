"""The counters recomputed from scratch in set-based SQL: the same rules as `measures.contributions`.

Three kinds of rows, each under the technician whose work it judges, are summed per order and
technician into kpi_contributions, then per month, branch and technician into kpi_counts. Nothing is
loaded into Python; on a million orders this is a few INSERT ... SELECT statements.
"""
from sqlalchemy import and_, case, delete, exists, func, insert, literal, or_, select, text, union_all
from sqlalchemy.orm import aliased

from app.callbacks.models import ANSWERED, Callback
from app.kpis.measures import COMPLAINT, FINISHED, REPAIR_CATEGORIES, SATISFIED
from app.kpis.models import TALLIES, KpiContribution, KpiCount
from app.visits.models import Visit, VisitStep
from app.work_orders.models import WorkOrder

orders = WorkOrder.__table__
# Each clock of app/clocks (clocks.clocks): its deadline and the stamp that meets it.
CLOCKS = ((orders.c.contact_due_at, orders.c.contacted_at),
          (orders.c.on_site_due_at, orders.c.arrived_at),
          (orders.c.fixed_due_at, orders.c.done_at))


def _flag(condition):
    return case((condition, 1), else_=0)


def _row(key_columns, **tallies):
    """A select list: the key, then every tally (0 unless given)."""
    return [*key_columns, *(tallies.get(name, literal(0)).label(name) for name in TALLIES)]


def _order_rows():
    finished = and_(orders.c.status.in_(FINISHED), orders.c.done_at.is_not(None))
    repair = and_(orders.c.category.in_(REPAIR_CATEGORIES), finished)
    complaint = and_(orders.c.category == COMPLAINT, orders.c.dispatched_at.is_not(None))
    timely = and_(*(or_(due.is_(None), and_(met.is_not(None), met <= due)) for due, met in CLOCKS))
    in_limit = or_(orders.c.fixed_due_at.is_(None), orders.c.done_at <= orders.c.fixed_due_at)
    # A correlated lookup on (work_order_id, round), not a join: SQLite would rescan a joined subquery per order.
    latest = select(Callback.satisfaction).where(
        Callback.work_order_id == orders.c.id, Callback.status == ANSWERED,
    ).order_by(Callback.round.desc()).limit(1).scalar_subquery()
    satisfied = func.coalesce(latest, "") == SATISFIED
    key = (orders.c.id.label("work_order_id"), func.coalesce(orders.c.technician_id, 0).label("technician_id"))
    return select(*_row(
        key,
        repairs=_flag(repair), repairs_timely=_flag(and_(repair, timely)),
        complaints=_flag(complaint), complaints_timely=_flag(and_(complaint, finished, in_limit)),
        complaints_closed=_flag(and_(complaint, finished)), complaints_satisfied=_flag(and_(complaint, satisfied)),
    )).where(orders.c.status != "cancelled", or_(repair, complaint))


def _latest_answers():
    """Each order's latest answered callback (highest round)."""
    later = aliased(Callback)
    return select(Callback.work_order_id, Callback.technician_id, Callback.satisfaction).where(
        Callback.status == ANSWERED,
        ~exists().where(later.work_order_id == Callback.work_order_id, later.status == ANSWERED,
                        later.round > Callback.round),
    ).subquery()


def _answer_rows():
    answer = _latest_answers()
    key = (answer.c.work_order_id, func.coalesce(answer.c.technician_id, 0).label("technician_id"))
    return select(*_row(key, asked=literal(1), satisfied=_flag(answer.c.satisfaction == SATISFIED))).select_from(
        answer.join(orders, orders.c.id == answer.c.work_order_id)).where(orders.c.status != "cancelled")


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
