"""The heating season (供暖季) and what it asks of a technician running late (000 九.五, 003 入户服务规范 2):
in season, the customer is told at least an hour before the appointment; outside it, a day before.

A season is a company setting per year (/admin/calendar); a year without one runs 15 November to 15 March
(003 一)."""
from datetime import date, timedelta

from flask import g, has_app_context

from app.audit.services import record
from app.clocks.models import HeatingSeason
from app.errors import ValidationFailed
from app.extensions import db
from app.localtime import local_day, now_utc

IN_SEASON_NOTICE = timedelta(hours=1)
OFF_SEASON_NOTICE = timedelta(days=1)
# Statuses in which the technician is not yet on his way: the appointment may be missed.
NOT_ON_THE_WAY = ("dispatched", "accepted")


def default_season(day):
    """15 Nov – 15 Mar around `day` (the season that contains it, or the next one)."""
    start_year = day.year if day >= date(day.year, 3, 16) else day.year - 1
    return date(start_year, 11, 15), date(start_year + 1, 3, 15)


def _configured():
    """Every season the company set, read once per request (the board asks for each of its rows)."""
    if has_app_context() and "heating_seasons" in g:
        return g.heating_seasons
    rows = db.session.execute(db.select(HeatingSeason.starts_on, HeatingSeason.ends_on)).all()
    if has_app_context():
        g.heating_seasons = rows
    return rows


def in_season(day):
    configured = _configured()
    if any(starts <= day <= ends for starts, ends in configured):
        return True
    starts, ends = default_season(day)
    overridden = any(date(starts.year, 7, 1) <= other <= date(starts.year + 1, 6, 30) for other, _ in configured)
    return not overridden and starts <= day <= ends


def notice_before(appointment_at):
    return IN_SEASON_NOTICE if in_season(local_day(appointment_at)) else OFF_SEASON_NOTICE


def notice_from(order):
    """From when a technician not yet on his way must tell the customer; None without an appointment."""
    if order.appointment_at is None:
        return None
    return order.appointment_at - notice_before(order.appointment_at)


def late_risk(order, now=None):
    """"at_risk": the notice time has come and the technician has not set off nor told the customer;
    "told": he told them; None otherwise."""
    if order.appointment_at is None or order.status not in NOT_ON_THE_WAY:
        return None
    if order.customer_told_at is not None:
        return "told"
    return "at_risk" if (now or now_utc()) >= notice_from(order) else None


def set_season(actor, starts_on, ends_on):
    """The season of the year that starts on `starts_on` (one per year: a second replaces the first).

    :raise ValidationFailed: an end before the start, or a season longer than a year.
    """
    if ends_on <= starts_on or ends_on - starts_on > timedelta(days=250):
        raise ValidationFailed("供暖季的结束日须晚于开始日,且不超过 250 天。", {"ends_on": ["结束日有误"]})
    same_year = db.session.execute(db.select(HeatingSeason).where(
        HeatingSeason.starts_on.between(date(starts_on.year, 7, 1), date(starts_on.year + 1, 6, 30)),
    )).scalar_one_or_none()
    season = same_year or HeatingSeason(starts_on=starts_on, ends_on=ends_on)
    season.starts_on, season.ends_on = starts_on, ends_on
    db.session.add(season)
    db.session.flush()
    g.pop("heating_seasons", None)
    record(actor, "heating_season", season.id, "set", starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return season


def seasons():
    return db.session.execute(db.select(HeatingSeason).order_by(HeatingSeason.starts_on.desc())).scalars().all()
