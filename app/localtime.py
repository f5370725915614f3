"""Time: stored in UTC, shown in the company's zone (Asia/Shanghai by default)."""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

DISPLAY_FORMAT = "%Y-%m-%d %H:%M"


def now_utc():
    return datetime.now(UTC)


def company_zone():
    return ZoneInfo(current_app.config["SHIFU_TIME_ZONE"])


def to_local(moment):
    if moment is None:
        return None
    return moment.astimezone(company_zone())


def format_local(moment, fmt=DISPLAY_FORMAT):
    local = to_local(moment)
    return local.strftime(fmt) if local else ""


def from_local_naive(naive):
    """A wall-clock time in the company's zone (typed at the desk, or in demo data) as an aware UTC datetime."""
    return naive.replace(tzinfo=company_zone()).astimezone(UTC)


def local_today():
    return to_local(now_utc()).date()


def local_day(moment):
    """The company-zone date of a moment."""
    return to_local(moment).date()


def day_bounds(day):
    """[start, end) of the company-zone date `day`, as aware UTC datetimes."""
    start = from_local_naive(datetime.combine(day, time()))
    return start, from_local_naive(datetime.combine(day + timedelta(days=1), time()))
