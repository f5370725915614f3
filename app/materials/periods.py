"""A branch's stock books closed month by month (月末结账): no movement is booked on or before the day they are
closed through. Every movement holds the period row shared (app/locks.py, 7), a close holds it alone, so a
close waits for the movements in flight and none slips into a month just closed."""
from datetime import timedelta

from sqlalchemy import select

from app.audit.services import record
from app.errors import Forbidden, RuleBroken
from app.extensions import db
from app.localtime import local_today
from app.locks import for_update, share_row
from app.materials.models import StockPeriod


def closed_through(branch_id, hold=False):
    """The last day of the branch's closed books. `hold`: for a movement about to be booked, the period row is
    held shared (locks.py, 7) so a close waits for it; a page that only shows the date takes no lock."""
    period = share_row(StockPeriod, branch_id) if hold else db.session.get(StockPeriod, branch_id)
    return period.closed_through if period else None


def check_open(branch_id, day):
    """:raise RuleBroken: a day in a month whose books the branch has closed."""
    closed = closed_through(branch_id, hold=True)
    if closed is not None and day <= closed:
        raise RuleBroken(f"{closed:%Y年%-m月}及以前的库存账已结,不能再记入。", {"booked_on": ["该月已结账"]},
                         code="period_closed")


def first_open_day(branch_id, day):
    """`day`, or the day after the books' close when `day` falls in a closed month (a phone's late record)."""
    closed = closed_through(branch_id)
    return max(day, closed + timedelta(days=1)) if closed is not None else day


def close_month(actor, branch, month):
    """Close the branch's books through the end of `month` (a date in it): a month that is over, once.

    :raise Forbidden: not the back office or an admin. :raise RuleBroken: a month not over, or closed."""
    if actor.role not in ("back_office", "admin"):
        raise Forbidden("只有客服部或管理员可以结账。")
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if end >= local_today():
        raise RuleBroken("只能结已经过去的月份。", {"month": ["该月尚未结束"]})
    period = db.session.execute(for_update(select(StockPeriod).where(StockPeriod.branch_id == branch.id))
                                ).scalar_one_or_none()
    if period is not None and period.closed_through >= end:
        raise RuleBroken(f"{end:%Y年%-m月}已结账。", {"month": ["已结账"]}, code="period_closed")
    if period is None:
        period = StockPeriod(branch_id=branch.id, closed_through=end, closed_by_id=actor.id)
        db.session.add(period)
    else:
        period.closed_through, period.closed_by_id = end, actor.id
    db.session.flush()
    record(actor, "stock_period", branch.id, "close", closed_through=end.isoformat())
    return period
