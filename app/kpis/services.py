"""The KPI figures for a month, read from the counters only; and rebuilding the counters."""
from dataclasses import dataclass

from sqlalchemy import exists, func, select

from app.auth.models import User
from app.branches.models import Branch
from app.extensions import db
from app.kpis import live, recount
from app.kpis.measures import COMPLAINT, FINISHED, REPAIR_CATEGORIES, figures, zero
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


def _tallies(months, branch_id=None, technician_id=None, by=()):
    """{key: tallies} for `months` (first and last) and a scope, the key a tuple of the `by` names' values:
    the counters summed, and the open repairs already late added from the orders (app/kpis/live.py)."""
    c = KpiCount.__table__.c
    columns = [c[name] for name in by]
    where = [c.month.between(months[0], months[-1])]
    if branch_id:
        where.append(c.branch_id == branch_id)
    if technician_id is not None:
        where.append(c.technician_id == technician_id)
    statement = select(*columns, *SUMS).where(*where)
    if columns:
        statement = statement.group_by(*columns)
    result = {tuple(row[:len(by)]): {name: int(row._mapping[name] or 0) for name in TALLIES}
              for row in db.session.execute(statement)}
    for key, late in live.counts(live.scope(months, branch_id, technician_id), by).items():
        result.setdefault(key, zero())["repairs"] += late
    return result


def month_report(month, branch_id=None):
    branches = db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all()
    branch = next((b for b in branches if b.id == branch_id), None)
    company = Row("全公司", figures(_tallies((month,)).get((), zero())))
    by_branch = _tallies((month,), by=("branch_id",))
    branch_rows = [Row(b.name, figures(by_branch.get((b.id,), zero())), branch_id=b.id) for b in branches]
    scope = next((row for row in branch_rows if branch and row.branch_id == branch.id), company)
    return MonthReport(
        month=month, branch=branch, scope=scope, company=company, branches=branch_rows,
        technicians=_technician_rows(month, branch.id if branch else None, {b.id: b for b in branches}),
        trend=_trend(month, branch.id if branch else None),
    )


def _technician_rows(month, branch_id, branches):
    rows = {key: tallies for key, tallies in _tallies((month,), branch_id, by=("branch_id", "technician_id")).items()
            if any(tallies.values())}
    ids = {technician_id for _, technician_id in rows if technician_id}
    people = {user.id: user for user in db.session.execute(db.select(User).where(User.id.in_(ids))).scalars()}
    result = [Row(_label(people.get(technician_id)), figures(tallies), branch_id=key_branch,
                  technician_id=technician_id, note=branches[key_branch].name if key_branch in branches else "")
              for (key_branch, technician_id), tallies in rows.items()]
    return sorted(result, key=lambda r: (r.note, r.technician_id == 0, r.label))


def _label(person):
    return f"{person.name}({person.badge_number})" if person else "未派单"


def _trend(month, branch_id):
    months = months_up_to(month, TREND_MONTHS)
    by_month = _tallies(months, branch_id, by=("month",))
    first = next((i for i, m in enumerate(months) if (m,) in by_month), len(months))
    shown = months[min(first, len(months) - MIN_TREND_MONTHS):]
    return [(m, figures(by_month.get((m,), zero()))) for m in shown]


def months_with_data():
    return db.session.execute(select(KpiCount.month).distinct().order_by(KpiCount.month.desc())).scalars().all()


def figure(kpi, month, branch_id=None, technician_id=None):
    """One KPI for a month and scope (a branch, a technician; 0 is 'nobody assigned')."""
    return figures(_tallies((month,), branch_id, technician_id).get((), zero()))[kpi.code]


def technician_name(technician_id):
    if technician_id is None:
        return None
    return _label(db.session.get(User, technician_id) if technician_id else None)
