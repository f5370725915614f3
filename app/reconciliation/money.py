"""Money (收款对账): handovers, and closing a technician's day once it balances (or is explained).

Only a day that is over closes. A closed day refuses handovers and voids. A slip signed that day that
the close did not count (signed offline, uploaded after the close) is still kept (nothing a technician
captured is lost): it is shown on the closed day as 关账后补传, outside the frozen figures, with an alarm.
"""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.localtime import day_bounds, format_local, local_today
from app.locks import lock_id
from app.reconciliation.figures import figures_of
from app.reconciliation.models import DayClose, Handover
from app.service_slips.content import COLLECTING_METHODS
from app.service_slips.models import SIGNED, Slip

MAX_NOTE = 200


def get_technician(technician_id):
    technician = db.session.get(User, technician_id)
    if technician is None or technician.role != "technician":
        raise NotFound("找不到该维修师傅。")
    return technician


def close_of(technician_id, day):
    return db.session.execute(select(DayClose).filter_by(technician_id=technician_id, day=day)).scalar_one_or_none()


def slips_of(technician, day):
    start, end = day_bounds(day)
    return db.session.execute(
        select(Slip).where(Slip.technician_id == technician.id, Slip.signed_at >= start, Slip.signed_at < end)
        .order_by(Slip.signed_at, Slip.id)
    ).scalars().all()


def handovers_of(technician, day):
    return db.session.execute(
        select(Handover).filter_by(technician_id=technician.id, day=day).order_by(Handover.recorded_at, Handover.id)
    ).scalars().all()


def is_late(slip, close):
    """Signed that day but not in the frozen figures: it reached the server after the close.

    Closes made before the snapshot kept its slips' ids fall back to the upload time.
    """
    if close is None or slip.status != SIGNED:
        return False
    counted = close.snapshot.get("slip_ids")
    return slip.id not in counted if counted is not None else slip.received_at > close.closed_at


def hold_technician(technician_id):
    """Closing, handing in, voiding and signing for one technician queue behind each other until commit
    (PostgreSQL; SQLite already runs one writer at a time), so a close never misses a slip being signed.
    Lock 4 of app/locks.py: after the work order, before the counters."""
    lock_id(db.session, User.id, technician_id)


def _refuse_if_closed(technician, day):
    close = close_of(technician.id, day)
    if close is not None:
        raise Conflict(f"{technician.name} {day.isoformat()} 的账已于 {format_local(close.closed_at)} 由 "
                       f"{close.closed_by.name} 关账,不能再更改。", code="day_closed")


def ensure_slip_may_be_voided(slip):
    """A void changes the day's figures: refused once the slip's day is closed.

    :raise Conflict: day_closed.
    """
    technician = slip.technician
    hold_technician(technician.id)
    close = db.session.execute(select(DayClose).where(
        DayClose.technician_id == technician.id, DayClose.starts_at <= slip.signed_at, DayClose.ends_at > slip.signed_at
    )).scalar_one_or_none()
    if close is not None:
        raise Conflict(f"服务单 {slip.serial} 签于 {close.day.isoformat()},{technician.name} 当天的账已关,"
                       "不能作废。", code="day_closed")


def _check_day(day):
    if day > local_today():
        raise ValidationFailed("这一天还没到。", {"day": ["不能是将来的日期"]})


def _check_day_over(day):
    """Today is not closed: slips signed later today would all be 关账后补传."""
    if day >= local_today():
        raise Conflict("当天还没结束,明天再关账。", code="day_not_over")


def add_handover(actor, technician, day, method, amount_fen, note=""):
    """Record money handed in. A negative amount corrects an earlier entry and needs a note.

    :raise Conflict: day_closed. :raise ValidationFailed: method, amount, note, day.
    """
    _check_day(day)
    hold_technician(technician.id)
    _refuse_if_closed(technician, day)
    note = (note or "").strip()
    problems = {}
    if method not in COLLECTING_METHODS:
        problems["method"] = ["请选择现金、微信支付或支付宝"]
    if not amount_fen:
        problems["amount"] = ["金额不能为 0"]
    elif amount_fen < 0 and not note:
        problems["note"] = ["冲正(负数)须注明原因"]
    if len(note) > MAX_NOTE:
        problems["note"] = [f"最多 {MAX_NOTE} 字"]
    if problems:
        raise ValidationFailed("交款记录有误。", problems)
    handover = Handover(technician_id=technician.id, day=day, method=method, amount_fen=amount_fen, note=note,
                        recorded_by_id=actor.id)
    db.session.add(handover)
    db.session.flush()
    record(actor, "handover", handover.id, "add", technician_id=technician.id, day=day.isoformat(), method=method,
           amount_fen=amount_fen)
    return handover


def close_day(actor, technician, day, reason=""):
    """Freeze the day's figures. A day that does not balance closes only with a written reason.

    :raise Conflict: day_closed, day_not_over (today or later). :raise ValidationFailed: reason missing.
    """
    _check_day_over(day)
    hold_technician(technician.id)
    _refuse_if_closed(technician, day)
    figures = figures_of(technician, day)
    reason = (reason or "").strip()
    if not figures.balanced and not reason:
        raise ValidationFailed("当天账目不平,关账须写明原因。", {"reason": ["账目不平时必填"]})
    start, end = day_bounds(day)
    snapshot = {**figures.as_snapshot(), "slip_ids": _signed_ids(technician, day)}  # what the figures counted
    close = DayClose(technician_id=technician.id, day=day, starts_at=start, ends_at=end, balanced=figures.balanced,
                     reason=reason[:500] or None, snapshot=snapshot, closed_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(close)
    except IntegrityError:
        _refuse_if_closed(technician, day)
        raise
    record(actor, "day_close", close.id, "close", technician_id=technician.id, day=day.isoformat(),
           balanced=figures.balanced)
    db.session.flush()
    return close


def _signed_ids(technician, day):
    return [slip.id for slip in slips_of(technician, day) if slip.status == SIGNED]


def _signed_in_closed_day():
    return ((Slip.technician_id == DayClose.technician_id) & (Slip.signed_at >= DayClose.starts_at)
            & (Slip.signed_at < DayClose.ends_at) & (Slip.status == SIGNED))


def late_uploads(day=None, since=None):
    """(close, slip) for every signed slip of a closed day that is not in the close's frozen figures.

    Voids are refused once a day is closed, so a closed day has late slips exactly when it has more
    signed slips now than its snapshot counted: only those days' slips are loaded.
    """
    grown = (select(DayClose.id).join(Slip, _signed_in_closed_day()).group_by(DayClose.id)
             .having(func.count(Slip.id) > func.max(DayClose.snapshot["slip_count"].as_integer())))
    if day is not None:
        grown = grown.where(DayClose.day == day)
    if since is not None:
        grown = grown.where(DayClose.day >= since)
    rows = db.session.execute(
        select(DayClose, Slip).join(Slip, _signed_in_closed_day()).where(DayClose.id.in_(grown))
        .order_by(DayClose.day.desc(), Slip.signed_at)
    ).all()
    return [(close, slip) for close, slip in rows if is_late(slip, close)]
