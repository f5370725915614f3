"""考核指标 at the desk: the month's KPIs, the orders behind each figure, and the month as files."""

from flask import Blueprint, render_template, request, url_for

from app.auth.access import DESK, roles_required
from app.auth.models import User
from app.branches.models import Branch
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.kpis import charts, drill, exports, services
from app.kpis.measures import BY_CODE, KPIS
from app.kpis.months import current_month, iso, label, parse_month, shift
from app.schemas import LARGEST_ID, id_number
from app.spreadsheets import send_xlsx

bp = Blueprint("kpis", __name__)
ARGUMENTS = {"branch": "分公司", "technician": "维修师傅", "page": "页码"}


def _month():
    """?month=YYYY-MM, this month when absent. :raise ValidationFailed: not a month of 2000-2099."""
    text = request.args.get("month", "")
    return parse_month(text) if text else current_month()


def _int_arg(name, smallest=1):
    """A whole number from the query string, None when absent or empty.

    :raise ValidationFailed: anything but ASCII digits from `smallest` to 2**31 - 1 ("²" passes
        str.isdigit but not int(); 10**20 overflows the database).
    """
    text = request.args.get(name, "")
    if not text:
        return None
    number = id_number(text, smallest)
    if number is None:
        rule = f"{ARGUMENTS[name]}应为 {smallest} 到 {LARGEST_ID} 之间的整数。"
        raise ValidationFailed(rule, {name: [rule]})
    return number


def _branch():
    """The ?branch= asked for, None for the whole company. :raise NotFound: no such branch."""
    branch_id = _int_arg("branch")
    if branch_id is None:
        return None
    branch = db.session.get(Branch, branch_id)
    if branch is None:
        raise NotFound("没有这个分公司。")
    return branch


def _technician_id():
    """The ?technician= asked for: None for everyone, 0 for nobody (未派单). :raise NotFound: no such person."""
    technician_id = _int_arg("technician", smallest=0)
    if technician_id and db.session.get(User, technician_id) is None:
        raise NotFound("没有这位维修师傅。")
    return technician_id


@bp.get("/kpis")
@roles_required(*DESK)
def month():
    """The month's five KPIs and 十个一, for the company or one branch (`?month=2026-11&branch=<id>`).

    :raise 404: no such branch.
    :raise 422: a month or id that is not one.
    """
    month, branch = _month(), _branch()
    report = services.month_report(month, branch.id if branch else None)
    month_choices = sorted({month, current_month(), *services.months_with_data()}, reverse=True)

    def drill_url(kpi_code, branch_id=None, technician_id=None, misses=False):
        return url_for("kpis.orders", month=iso(month), kpi=kpi_code, branch=branch_id,
                       technician=technician_id, misses=1 if misses else None)

    return render_template(
        "kpis/month.html", report=report, KPIS=KPIS, month_label=label(month), iso=iso, label=label,
        month_choices=month_choices, previous=shift(month, -1), next=shift(month, 1), drill_url=drill_url,
        scope_name=branch.name if branch else "全公司",
        trends={kpi.code: charts.trend(kpi, report.trend) for kpi in KPIS},
        sparks={kpi.code: charts.sparkline(kpi, report.trend) for kpi in KPIS},
        comparison=charts.comparison(KPIS, report.branches), counters_missing=services.counters_missing(),
    )


@bp.get("/kpis/orders")
@roles_required(*DESK)
def orders():
    """The orders one figure counts, with why each was a hit or a miss.

    :raise 404: no such KPI, branch or technician.
    :raise 422: a month, id or page that is not one.
    """
    kpi = BY_CODE.get(request.args.get("kpi", ""))
    if kpi is None:
        raise NotFound("没有这个考核指标。")
    month, branch, technician_id = _month(), _branch(), _technician_id()
    misses, page = request.args.get("misses") == "1", _int_arg("page") or 1
    lines, has_next = drill.counted(kpi, month, branch.id if branch else None, technician_id, misses, page)
    figure = services.figure(kpi, month, branch.id if branch else None, technician_id)
    args = {"month": iso(month), "kpi": kpi.code, "branch": branch.id if branch else None,
            "technician": technician_id}
    return render_template(
        "kpis/orders.html", kpi=kpi, figure=figure, lines=lines, page=page, has_next=has_next, misses=misses,
        counted=drill.COUNTED[kpi.code],
        month_label=label(month), branch=branch, technician=services.technician_name(technician_id), args=args,
        back=url_for("kpis.month", month=iso(month), branch=branch.id if branch else None),
    )


@bp.get("/kpis/export.xlsx")
@roles_required(*DESK)
def export():
    """The month's page as a workbook: branches, technicians, the trend.

    :raise 404: no such branch.
    :raise 422: a month or id that is not one.
    """
    month, branch = _month(), _branch()
    data = exports.month_workbook(services.month_report(month, branch.id if branch else None))
    name = f"考核指标-{iso(month)}{'-' + branch.name if branch else ''}.xlsx"
    return send_xlsx(data, name)


@bp.get("/kpis/ledger.xlsx")
@roles_required(*DESK)
def complaint_ledger():
    """投诉台账: every complaint received in the month.

    :raise 404: no such branch.
    :raise 422: a month or id that is not one.
    """
    month, branch = _month(), _branch()
    data = exports.ledger_workbook(month, branch)
    return send_xlsx(data, f"投诉台账-{iso(month)}{'-' + branch.name if branch else ''}.xlsx")
