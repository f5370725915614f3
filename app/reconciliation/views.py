"""The back office's reconciliation pages: the serial register, the third copies, the money."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.branches.models import Branch
from app.errors import NotFound, refusal
from app.extensions import db
from app.localtime import format_local, local_today
from app.reconciliation import copies, figures, money, register
from app.reconciliation.days import parse_day
from app.reconciliation.models import SCAN
from app.reconciliation.schemas import CloseIn, HandoverIn
from app.schemas import id_number, load_form
from app.service_slips import services as slips
from app.service_slips.content import COLLECTING_METHODS
from app.service_slips.models import SIGNED

bp = Blueprint("reconciliation", __name__, url_prefix="/reconciliation")
RECONCILE = ("back_office", "admin")
RECENT_SHOWN = 60
TECHNICIAN_DAY = "/money/<int:technician_id>/<day_text>"


@bp.app_template_global()
def copy_return_for(slip):
    """The verification page asks this: the registration if the viewer is the back office, else None."""
    if current_user.is_authenticated and current_user.role in RECONCILE:
        return copies.returned(slip) or False
    return None


def _int_arg(name, default=None):
    """A whole number from the query string; anything else (², ١, -1, 10**30) is the default, never a 500."""
    return id_number(request.args.get(name)) or default


def _parsed_day(text):
    day = parse_day(text)
    if day is None:
        raise NotFound("没有这一天的对账:日期须是 2000-01-01 到明年之间的 YYYY-MM-DD。")
    return day


def _branches():
    return db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all()


@bp.get("")
@bp.get("/")  # README and people write /reconciliation/
@roles_required(*RECONCILE)
def index():
    today = local_today()
    return render_template("reconciliation/index.html", registers=register.alarms(today.year), year=today.year,
                           copy_counts=copies.counts(today), return_days=copies.RETURN_DAYS,
                           pending_count=figures.pending_count(today),
                           late=money.late_uploads(since=today - timedelta(days=figures.PENDING_LOOKBACK_DAYS)))


@bp.get("/serials")
@roles_required(*RECONCILE)
def serials():
    branches = _branches()
    if not branches:
        return render_template("reconciliation/serials.html", branches=[], result=None)
    branch = register.branch_by_code(request.args.get("branch") or branches[0].code)
    years = register.years_of(branch) or [local_today().year]
    year = _int_arg("year") or years[0]
    result = register.summary(branch, year)
    page_number = min(max(_int_arg("page", 1), 1), result.pages)
    return render_template("reconciliation/serials.html", branches=branches, branch=branch, years=years, year=year,
                           result=result, rows=register.page(result, page_number), page_number=page_number)


def _copies_page(status=200, typed="", error=None):
    branch_id = _int_arg("branch")
    overdue, more = copies.overdue(branch_id=branch_id)
    return render_template(
        "reconciliation/copies.html", overdue=overdue, overdue_more=more, overdue_shown=copies.OVERDUE_SHOWN,
        counts=copies.counts(), recent=copies.recent(), branches=_branches(), branch_id=branch_id,
        return_days=copies.RETURN_DAYS, typed=typed, error=error,
    ), status


@bp.get("/copies")
@roles_required(*RECONCILE)
def copies_page():
    return _copies_page()


@bp.post("/copies")
@roles_required(*RECONCILE)
def register_typed():
    """Typed or scan-gun serial, Enter: says which slip was registered, or why not, and waits for the next."""
    typed = request.form.get("serial", "")
    with refusal() as refused:
        done = copies.register_typed(current_user, typed)
    if refused.error:
        return _copies_page(refused.error.status, typed.strip()[:100], refused.error.message)
    db.session.commit()
    slip = done.slip
    flash(f"已登记 {slip.serial} 第三联交回:{slip.branch.name} · {slip.technician.name} · "
          f"签于 {format_local(slip.signed_at)}。", "success")
    return redirect(url_for("reconciliation.copies_page", branch=request.args.get("branch")), code=303)


@bp.post("/copies/scan/<token>")
@roles_required(*RECONCILE)
def register_scanned(token):
    """The button on the verification page that the slip's QR code opened on a back-office phone."""
    slip = slips.by_token(token)
    with refusal() as refused:
        copies.register(current_user, slip, SCAN)
    if refused.error:
        flash(refused.error.message, "copy-error")  # shown on the verification page, and only there
    else:
        db.session.commit()
        flash("登记成功。", "copy")
    return redirect(url_for("slips.verify", token=token), code=303)


@bp.get("/money")
@roles_required(*RECONCILE)
def money_page():
    day = _parsed_day(request.args["day"]) if request.args.get("day") else local_today()
    branch_id = _int_arg("branch")
    recent = figures.recent_days(branch_id=branch_id)
    since = min(day, local_today() - timedelta(days=figures.PENDING_LOOKBACK_DAYS))
    recent_late = money.late_uploads(since=since)  # one query for the day shown and the recent list
    late = [(close, slip) for close, slip in recent_late if close.day == day]
    late_days = {(close.technician_id, close.day) for close, _ in recent_late}
    return render_template(
        "reconciliation/money.html", day=day, today=local_today(), rows=figures.day_rows(day, branch_id),
        branches=_branches(), branch_id=branch_id, recent=figures.with_figures(recent[:RECENT_SHOWN]),
        recent_count=len(recent), late=late, late_days=late_days, methods=COLLECTING_METHODS, timedelta=timedelta,
    )


def _day(technician_id, day_text):
    return money.get_technician(technician_id), _parsed_day(day_text)


def _day_page(technician, day, status=200, form=None, errors=None, error=None):
    close = money.close_of(technician.id, day)
    numbers = figures.Figures.from_snapshot(close.snapshot) if close else figures.figures_of(technician, day)
    day_slips = money.slips_of(technician, day)
    return render_template(
        "reconciliation/day.html", technician=technician, day=day, figures=numbers, close=close, slips=day_slips,
        late=[s for s in day_slips if s.status == SIGNED and money.is_late(s, close)],
        handovers=money.handovers_of(technician, day), methods=COLLECTING_METHODS, form=form or {},
        errors=errors or {}, error=error, is_late=money.is_late, today=local_today(), future=day > local_today(),
        timedelta=timedelta,
    ), status


@bp.get(TECHNICIAN_DAY)
@roles_required(*RECONCILE)
def day_page(technician_id, day_text):
    return _day_page(*_day(technician_id, day_text))


@bp.post(f"{TECHNICIAN_DAY}/handovers")
@roles_required(*RECONCILE)
def add_handover(technician_id, day_text):
    technician, day = _day(technician_id, day_text)
    return _act(technician, day, lambda: money.add_handover(
        current_user, technician, day, **load_form(HandoverIn(), request.form)), "交款已记录。")


@bp.post(f"{TECHNICIAN_DAY}/close")
@roles_required(*RECONCILE)
def close_day(technician_id, day_text):
    technician, day = _day(technician_id, day_text)
    return _act(technician, day, lambda: money.close_day(
        current_user, technician, day, **load_form(CloseIn(), request.form)), "已关账,当天的账目已冻结。")


def _act(technician, day, change, done):
    with refusal() as refused:
        change()
    if refused.error:
        error = refused.error
        return _day_page(technician, day, error.status, request.form, error.fields, error.message)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("reconciliation.day_page", technician_id=technician.id, day_text=day.isoformat()), code=303)
