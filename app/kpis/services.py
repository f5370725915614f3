"""The KPI figures for a month, read from the counters only; and rebuilding the counters."""
from dataclasses import dataclass

from sqlalchemy import exists, func, select

from app.auth.models import User
from app.branches.models import Branch
from app.extensions import db
from app.kpis import recount
from app.kpis.measures import COMPLAINT, FINISHED, REPAIR_CATEGORIES, figures
from app.kpis.models import TALLIES, KpiCount
from app.kpis.months import months_up_to
from app.work_orders.models import WorkOrder

TREND_MONTHS = 12
MIN_TREND_MONTHS = 6  # the trend starts at the first month with data, but never shows fewer months
SUMS = [func.sum(KpiCount.__table__.c[name]).label(name) for name in TALLIES]


def counters_missing():
    """No counters at all, though finished repairs or complaints exist: a database upgraded from before
    the counters, or bulk-loaded without a rebuild. Two indexed existence checks, the second only when
    the counters are empty."""
    if db.session.execute(select(exists().where(KpiCount.month.is_not(None)))).scalar():
        return False
    counted = WorkOrder.category.in_((*REPAIR_CATEGORIES, COMPLAINT))
    return bool(db.session.execute(select(exists().where(WorkOrder.status.in_(FINISHED), counted))).scalar())


def rebuild():
    """Recompute every counter from the orders, callbacks and visits (after a bulk load, or to check)."""
    recount.rebuild_all(db.session.connection())


@dataclass
class Row:
    """A line of a table: whose figures they are, and the figures (by KPI code)."""

    label: str
    figures: dict
    branch_id: int | None = None
    technician_id: int | None = None
    note: str = ""


@dataclass
class MonthReport:
    month: int
    branch: Branch | None
    scope: Row  # the company, or the chosen branch
    company: Row
    branches: list
    technicians: list
    trend: list  # (month, figures), oldest first


def _sums(*where, group_by=()):
    statement = select(*group_by, *SUMS).where(*where)
    if group_by:
        statement = statement.group_by(*group_by)
    return db.session.execute(statement).all()


def month_report(month, branch_id=None):
    branches = db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all()
    branch = next((b for b in branches if b.id == branch_id), None)
    in_scope = [KpiCount.branch_id == branch.id] if branch else []
    company = Row("全公司", figures(_sums(KpiCount.month == month)[0]))
    by_branch = {row.branch_id: row for row in _sums(KpiCount.month == month, group_by=(KpiCount.branch_id,))}
    branch_rows = [Row(b.name, figures(by_branch.get(b.id, {})), branch_id=b.id) for b in branches]
    scope = next((row for row in branch_rows if branch and row.branch_id == branch.id), company)
    return MonthReport(
        month=month, branch=branch, scope=scope, company=company, branches=branch_rows,
        technicians=_technician_rows(month, in_scope, {b.id: b for b in branches}),
        trend=_trend(month, in_scope),
    )


def _technician_rows(month, in_scope, branches):
    rows = [row for row in _sums(KpiCount.month == month, *in_scope,
                                 group_by=(KpiCount.branch_id, KpiCount.technician_id))
            if any(getattr(row, name) for name in TALLIES)]
    ids = {row.technician_id for row in rows if row.technician_id}
    people = {user.id: user for user in db.session.execute(db.select(User).where(User.id.in_(ids))).scalars()}
    result = []
    for row in rows:
        person = people.get(row.technician_id)
        label = f"{person.name}({person.badge_number})" if person else "未派单"
        result.append(Row(label, figures(row), branch_id=row.branch_id, technician_id=row.technician_id,
                          note=branches[row.branch_id].name if row.branch_id in branches else ""))
    return sorted(result, key=lambda r: (r.note, r.technician_id == 0, r.label))


def _trend(month, in_scope):
    months = months_up_to(month, TREND_MONTHS)
    by_month = {row.month: row for row in _sums(KpiCount.month.between(months[0], months[-1]), *in_scope,
                                                 group_by=(KpiCount.month,))}
    first = next((i for i, m in enumerate(months) if m in by_month), len(months))
    shown = months[min(first, len(months) - MIN_TREND_MONTHS):]
    return [(m, figures(by_month.get(m, {}))) for m in shown]


def months_with_data():
    return db.session.execute(select(KpiCount.month).distinct().order_by(KpiCount.month.desc())).scalars().all()


def figure(kpi, month, branch_id=None, technician_id=None):
    """One KPI for a month and scope (a branch, a technician; 0 is 'nobody assigned')."""
    where = [KpiCount.month == month]
    if branch_id:
        where.append(KpiCount.branch_id == branch_id)
    if technician_id is not None:
        where.append(KpiCount.technician_id == technician_id)
    return figures(_sums(*where)[0])[kpi.code]


def technician_name(technician_id):
    if technician_id is None:
        return None
    person = db.session.get(User, technician_id) if technician_id else None
    return f"{person.name}({person.badge_number})" if person else "未派单"
