"""考核指标 at the desk: the month's KPIs, the orders behind each figure, and the month as files."""
from io import BytesIO

from flask import Blueprint, render_template, request, send_file, url_for

from app.auth.access import DESK, roles_required
from app.branches.models import Branch
from app.errors import NotFound
from app.extensions import db
from app.kpis import charts, drill, exports, services
from app.kpis.measures import BY_CODE, KPIS
from app.kpis.months import current_month, iso, label, parse_month, shift

bp = Blueprint("kpis", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month():
    return parse_month(request.args["month"]) if request.args.get("month") else current_month()


def _int_arg(name):
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _branch():
    branch_id = _int_arg("branch")
    return db.session.get(Branch, branch_id) if branch_id else None


@bp.get("/kpis")
@roles_required(*DESK)
def month():
    """The month's five KPIs and 十个一, for the company or one branch (`?month=2026-11&branch=<id>`)."""
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
        comparison=charts.comparison(KPIS, report.branches),
    )


@bp.get("/kpis/orders")
@roles_required(*DESK)
def orders():
    """The orders one figure counts, with why each was a hit or a miss. :raise 404: no such KPI."""
    kpi = BY_CODE.get(request.args.get("kpi", ""))
    if kpi is None:
        raise NotFound("没有这个考核指标。")
    month, branch, technician_id = _month(), _branch(), _int_arg("technician")
    misses, page = request.args.get("misses") == "1", max(1, _int_arg("page") or 1)
    lines, has_next = drill.counted(kpi, month, branch.id if branch else None, technician_id, misses, page)
    figure = services.figure(kpi, month, branch.id if branch else None, technician_id)
    args = {"month": iso(month), "kpi": kpi.code, "branch": branch.id if branch else None,
            "technician": technician_id}
    return render_template(
        "kpis/orders.html", kpi=kpi, figure=figure, lines=lines, page=page, has_next=has_next, misses=misses,
        month_label=label(month), branch=branch, technician=services.technician_name(technician_id), args=args,
        back=url_for("kpis.month", month=iso(month), branch=branch.id if branch else None),
    )


@bp.get("/kpis/export.xlsx")
@roles_required(*DESK)
def export():
    """The month's page as a workbook: branches, technicians, the trend."""
    month, branch = _month(), _branch()
    data = exports.month_workbook(services.month_report(month, branch.id if branch else None))
    name = f"考核指标-{iso(month)}{'-' + branch.name if branch else ''}.xlsx"
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.get("/kpis/ledger.xlsx")
@roles_required(*DESK)
def complaint_ledger():
    """投诉台账: every complaint received in the month."""
    month, branch = _month(), _branch()
    data = exports.ledger_workbook(month, branch)
    name = f"投诉台账-{iso(month)}{'-' + branch.name if branch else ''}.xlsx"
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
