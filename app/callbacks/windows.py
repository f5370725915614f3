"""The callback window (回访时限): from completion (or the policy's delay after it, 48 h for a repair),
within the policy's hours, out of the night when asked.

Daytime is 08:00–20:00 in the company's zone, the same night as for appointments (003 9). A window
that touches the night is shortened, never lengthened: it opens at the first daytime moment at or
after its start and closes at the last daytime moment at or before start + hours.
"""
from datetime import UTC, timedelta

from app.localtime import to_local
from app.work_orders.appointments import NIGHT_ENDS, NIGHT_STARTS


def for_policy(completed_at, policy):
    return window(completed_at, policy.callback_hours, policy.callback_daytime_only,
                  after_hours=policy.callback_after_hours or 0)


def window(completed_at, hours, daytime_only, after_hours=0):
    """(due_from, due_by), aware UTC."""
    opens = completed_at + timedelta(hours=after_hours)
    end = opens + timedelta(hours=hours)
    if not daytime_only:
        return opens, end
    start, last = first_daytime(opens), last_daytime(end)
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
