"""The callback window (回访时限): from completion, within the policy's hours, out of the night when asked.

Daytime is 08:00–20:00 in the company's zone, the same night as for appointments (003 9). A window
that touches the night is shortened, never lengthened: it opens at the first daytime moment at or
after completion and closes at the last daytime moment at or before completion + hours.
"""
from datetime import UTC, timedelta

from app.localtime import to_local
from app.work_orders.appointments import NIGHT_ENDS, NIGHT_STARTS


def window(completed_at, hours, daytime_only):
    """(due_from, due_by), aware UTC."""
    end = completed_at + timedelta(hours=hours)
    if not daytime_only:
        return completed_at, end
    start, last = first_daytime(completed_at), last_daytime(end)
    if last < start:  # a short window that lies wholly in the night: it moves to the next morning
        last = min(start + timedelta(hours=hours), _at(start, NIGHT_STARTS))
    return start, last


def first_daytime(moment):
    """The first moment at or after `moment` when a customer may be called."""
    local = to_local(moment)
    if local.hour < NIGHT_ENDS:
        local = _at(local, NIGHT_ENDS)
    elif local.hour >= NIGHT_STARTS:
        local = _at(local + timedelta(days=1), NIGHT_ENDS)
    return local.astimezone(UTC)


def last_daytime(moment):
    """The last moment at or before `moment` when a customer may be called (20:00 itself still counts)."""
    local = to_local(moment)
    evening = _at(local, NIGHT_STARTS)
    if local > evening:
        local = evening
    elif local.hour < NIGHT_ENDS:
        local = _at(local - timedelta(days=1), NIGHT_STARTS)
    return local.astimezone(UTC)


def _at(moment, hour):
    return to_local(moment).replace(hour=hour, minute=0, second=0, microsecond=0)
