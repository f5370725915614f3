"""A reconciliation day is a date in the company's zone (Beijing): 00:00 to 24:00 there, kept in UTC."""
from datetime import date, datetime, time, timedelta

from app.localtime import from_local_naive, now_utc, to_local


def local_today():
    return to_local(now_utc()).date()


def local_day(moment):
    return to_local(moment).date()


def day_bounds(day):
    """[start, end) of the Beijing date `day`, as aware UTC datetimes."""
    start = from_local_naive(datetime.combine(day, time()))
    return start, from_local_naive(datetime.combine(day + timedelta(days=1), time()))


def parse_day(text):
    """YYYY-MM-DD, or None when it is not a date."""
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None
