"""A reconciliation day is a date in the company's zone (Beijing): 00:00 to 24:00 there, kept in UTC."""
from datetime import date, timedelta

from app.localtime import local_today

EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=366)


def parse_day(text):
    """YYYY-MM-DD from 2000-01-01 to a year from today, or None: no page is about any other day (and
    dates near the calendar's ends have no UTC bounds)."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if EARLIEST <= day <= local_today() + AHEAD else None
