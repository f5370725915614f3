"""Demo reconciliation: most third copies back, one overdue; one technician-day balanced and closed,
one short by ¥20 and still open. Idempotent: slips already registered and days already handed in
are left as they are.

Demo slips reach the server when the demo is loaded (their `received_at`), so the demo closes its
days now rather than on the evening of the day: closing earlier would show them all as 关账后补传.
"""
from collections import defaultdict
from datetime import timedelta

from app.extensions import db
from app.localtime import local_day, local_today, now_utc
from app.reconciliation import copies, figures, money
from app.reconciliation.models import SCAN, TYPED, Handover, SlipCopyReturn
from app.service_slips.models import SIGNED, Slip

SHORT_FEN = 2000  # the open day is short by ¥20
BACK_AFTER_DAYS = 2  # copies of slips signed more recently are still with the technicians


def load_demo_reconciliation(back_office):
    slips = db.session.execute(db.select(Slip).filter_by(status=SIGNED).order_by(Slip.signed_at)).scalars().all()
    _return_copies(back_office, slips)
    _hand_in(back_office, slips)


def _return_copies(back_office, slips):
    now, today = now_utc(), local_today()
    past_due = [s for s in slips if copies.due_day(s.signed_at) < today]
    kept_back = past_due[0] if past_due else None  # the one overdue copy
    for n, slip in enumerate(slips):
        if slip is kept_back or local_day(slip.signed_at) > today - timedelta(days=BACK_AFTER_DAYS):
            continue
        if copies.returned(slip) is None:
            returned_at = min(slip.signed_at + timedelta(days=2 + n % 5, hours=3), now - timedelta(hours=1))
            db.session.add(SlipCopyReturn(slip_id=slip.id, recorded_by_id=back_office.id, returned_at=returned_at,
                                          how=SCAN if n % 2 else TYPED))
    db.session.flush()


def _hand_in(back_office, slips):
    """Every technician-day with money is handed in and closed, except the latest: ¥20 short, open."""
    days = defaultdict(list)
    for slip in slips:
        if slip.collected_fen:
            days[(local_day(slip.signed_at), slip.technician_id)].append(slip)
    for index, (day, technician_id) in enumerate(sorted(days)):
        technician = days[(day, technician_id)][0].technician
        if db.session.execute(db.select(Handover.id).filter_by(technician_id=technician_id, day=day)).first():
            continue
        last = index == len(days) - 1
        shortfall = SHORT_FEN if last else 0
        for line in figures.figures_of(technician, day).methods.values():
            less = shortfall if line.expected > shortfall else 0
            if line.expected:
                money.add_handover(back_office, technician, day, line.method, line.expected - less, "演示:师傅交款")
            shortfall -= less
        if not last:
            money.close_day(back_office, technician, day)
