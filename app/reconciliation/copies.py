"""Third copies (第三联 客服部联): back at head office within half a month of signing.

The back office records a returned copy once, by scanning its QR code (the verification page
offers the button to a signed-in back office) or by typing its serial. A voided slip's copy is not
registered; the register already accounts for its number.
"""
import re
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit.services import record
from app.auth.models import User
from app.branches.models import Branch
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.localtime import day_bounds, format_local, local_day, local_today
from app.reconciliation.models import SCAN, TYPED, SlipCopyReturn
from app.service_slips.models import SIGNED, VOIDED, Slip
from app.service_slips.serials import format_serial
from app.work_orders.models import WorkOrder

RETURN_DAYS = 15  # 半月内 (001 四.15)
OVERDUE_SHOWN = 500
SERIAL = re.compile(r"(?P<code>[A-Z0-9]+)-(?P<year>\d{4})-(?P<number>\d{1,9})")
DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "_": "-"})


def returned(slip):
    return db.session.execute(select(SlipCopyReturn).filter_by(slip_id=slip.id)).scalar_one_or_none()


def register(actor, slip, how):
    """Record that the slip's third copy is back.

    :raise Conflict: copy_already_returned (nothing changes), slip_voided.
    """
    if slip.status == VOIDED:
        raise Conflict(f"服务单 {slip.serial} 已作废,第三联不登记交回。", code="slip_voided")
    earlier = returned(slip)
    if earlier is None:
        try:
            with db.session.begin_nested():
                db.session.add(SlipCopyReturn(slip_id=slip.id, recorded_by_id=actor.id, how=how))
            record(actor, "service_slip", slip.id, "copy_returned", serial=slip.serial, how=how)
            db.session.flush()
            return returned(slip)
        except IntegrityError:  # the same copy, registered at the same moment at another desk
            earlier = returned(slip)
    raise Conflict(f"服务单 {slip.serial} 的第三联已于 {format_local(earlier.returned_at)} 由 "
                   f"{earlier.recorded_by.name} 登记交回,未重复登记。", code="copy_already_returned")


def register_typed(actor, text):
    """What a desk typed or a scan gun sent: a serial (CD-2026-137 is CD-2026-000137), or the QR's URL."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请输入或扫描服务单号。", {"serial": ["此项必填"]})
    token = _token_in(text)
    if token:
        slip = db.session.execute(select(Slip).filter_by(verify_token=token)).scalar_one_or_none()
        if slip is None:
            raise NotFound("二维码无效或已更换,请输入服务单号。")
        return register(actor, slip, SCAN)
    serial = normalized_serial(text)
    slip = db.session.execute(select(Slip).filter_by(serial=serial)).scalar_one_or_none()
    if slip is None:
        raise NotFound(f"没有服务单 {serial},请核对单号。")
    return register(actor, slip, TYPED)


def _token_in(text):
    if "/v/" not in text:
        return None
    return text.split("/v/")[-1].split("?")[0].split("#")[0].strip("/") or None


def normalized_serial(text):
    text = text.upper().translate(DASHES).replace(" ", "")
    match = SERIAL.fullmatch(text)
    if not match:
        return text
    return format_serial(match["code"], match["year"], int(match["number"]))


@dataclass
class Overdue:
    slip_id: int
    serial: str
    signed_at: object
    branch: str
    technician_name: str
    badge_number: str
    order_id: int
    order_number: str
    days_overdue: int

    @property
    def due(self):
        return due_day(self.signed_at)

    @property
    def technician(self):
        return f"{self.technician_name}({self.badge_number})" if self.badge_number else self.technician_name


def due_day(signed_at):
    return local_day(signed_at) + timedelta(days=RETURN_DAYS)


def _outstanding():
    """Signed slips whose third copy is not back."""
    return (Slip.status == SIGNED) & ~exists().where(SlipCopyReturn.slip_id == Slip.id)


def overdue(today=None, branch_id=None, limit=OVERDUE_SHOWN):
    """The `limit` copies longest past due (not back within RETURN_DAYS of the signing day), per branch and
    technician, oldest first; and whether more are past due."""
    today = today or local_today()
    cutoff, _ = day_bounds(today - timedelta(days=RETURN_DAYS))  # signed before this day → past due
    statement = (
        select(Slip.id, Slip.serial, Slip.signed_at, Branch.name, User.name, User.badge_number, WorkOrder.id,
               WorkOrder.number, Branch.code.label("branch_code"), User.id.label("technician_id"))
        .join(Branch, Branch.id == Slip.branch_id).join(User, User.id == Slip.technician_id)
        .join(WorkOrder, WorkOrder.id == Slip.work_order_id)
        .where(_outstanding(), Slip.signed_at < cutoff)
        .order_by(Slip.signed_at, Slip.id).limit(limit + 1)
    )
    if branch_id:
        statement = statement.where(Slip.branch_id == branch_id)
    rows = db.session.execute(statement).all()
    kept = sorted(rows[:limit], key=lambda row: (row.branch_code, row[4], row.technician_id, row.signed_at))
    items = [Overdue(*row[:8], days_overdue=(today - due_day(row.signed_at)).days) for row in kept]
    return _grouped(items), len(rows) > limit


def _grouped(items):
    return [(branch, [(technician, list(mine)) for technician, mine in groupby(ours, key=lambda o: o.technician)])
            for branch, ours in groupby(items, key=lambda o: o.branch)]


def counts(today=None):
    """Outstanding copies: how many are past due, and how many are still within their half month."""
    today = today or local_today()
    cutoff, _ = day_bounds(today - timedelta(days=RETURN_DAYS))
    late, waiting = db.session.execute(
        select(func.count().filter(Slip.signed_at < cutoff), func.count().filter(Slip.signed_at >= cutoff))
        .where(_outstanding())
    ).one()
    return {"overdue": late, "waiting": waiting}


def recent(limit=15):
    """The latest registrations, newest first: what the desk just did."""
    slip = joinedload(SlipCopyReturn.slip)
    return db.session.execute(
        select(SlipCopyReturn).options(slip.joinedload(Slip.branch), slip.joinedload(Slip.technician),
                                       joinedload(SlipCopyReturn.recorded_by))
        .order_by(SlipCopyReturn.returned_at.desc(), SlipCopyReturn.id.desc()).limit(limit)
    ).scalars().all()
