"""The holiday calendar (节假日安排): which days the working-day clocks count.

A day with an entry counts by its entry (放假: not a working day; 调休上班: a working day); any other day
counts when it is Monday–Friday. The admin copies the entries each year from 国务院办公厅关于节假日安排的
通知. Deadlines are stamped when an order is opened, so a change reaches only orders opened afterwards.
"""
from datetime import date, timedelta

from app.audit.services import record
from app.clocks.models import CalendarDay
from app.errors import NotFound, ValidationFailed
from app.extensions import db

ONE_DAY = timedelta(days=1)
MAX_RANGE_DAYS = 31
FIRST_YEAR, LAST_YEAR = 2000, 2100
KINDS = {False: "放假", True: "调休上班"}


def working_days_after(day, expected=1):
    """The working days after the date `day`, in order, without end.

    The calendar is read a window at a time, sized so that walking `expected` working days is one query
    unless holidays pile up beyond all reason (then the next window is read).
    """
    window = timedelta(days=2 * expected + MAX_RANGE_DAYS)
    while True:
        end = day + window
        entries = dict(db.session.execute(
            db.select(CalendarDay.day, CalendarDay.working).where(CalendarDay.day > day, CalendarDay.day <= end)
        ).all())
        while day < end:
            day += ONE_DAY
            if entries.get(day, day.weekday() < 5):
                yield day


def weekday_label(day):
    return "星期" + "一二三四五六日"[day.weekday()]


def entries_by_year(years):
    """{year: [CalendarDay, ...] in date order} for each of `years` (consecutive), empty years included."""
    by_year = {year: [] for year in years}
    rows = db.session.execute(
        db.select(CalendarDay).where(CalendarDay.day.between(date(min(years), 1, 1), date(max(years), 12, 31)))
        .order_by(CalendarDay.day)
    ).scalars()
    for row in rows:
        by_year[row.day.year].append(row)
    return by_year


def years_entered():
    first, last = db.session.execute(db.select(db.func.min(CalendarDay.day), db.func.max(CalendarDay.day))).one()
    return range(first.year, last.year + 1) if first else range(0)


def add_days(actor, first, last, working, name):
    """Enter `first`…`last` (one day when `last` is None) as 放假 (`working` False) or 调休上班 (True).

    :raise ValidationFailed: a date out of range, a range backwards or longer than 31 days, a 调休上班 day
        that is not a weekend day, a day already entered; nothing is saved.
    """
    last = last or first
    _check_range(first, last)
    days = [first + n * ONE_DAY for n in range((last - first).days + 1)]
    if working:
        _check_weekend(days)
    _check_not_entered(days)
    entries = [CalendarDay(day=day, working=working, name=name.strip()) for day in days]
    db.session.add_all(entries)
    db.session.flush()
    record(actor, "calendar_day", entries[0].id, "add", first=first.isoformat(), last=last.isoformat(),
           working=working, name=name.strip())
    return entries


def delete_day(actor, entry_id):
    """:raise NotFound: no such entry."""
    entry = db.session.get(CalendarDay, entry_id)
    if entry is None:
        raise NotFound("日历中没有这一天,可能已被删除。")
    record(actor, "calendar_day", entry.id, "delete", day=entry.day.isoformat(), working=entry.working,
           name=entry.name)
    db.session.delete(entry)
    db.session.flush()
    return entry


def describe(entry):
    return f"{entry.day.isoformat()}({weekday_label(entry.day)},{KINDS[entry.working]} {entry.name})"


def _check_range(first, last):
    for field, day in (("from", first), ("to", last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationFailed(f"日期须在 {FIRST_YEAR}–{LAST_YEAR} 年之间。",
                                   {field: [f"须在 {FIRST_YEAR}–{LAST_YEAR} 年之间"]})
    if last < first:
        raise ValidationFailed("结束日期不能早于开始日期。", {"to": ["早于开始日期"]})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(f"一次最多添加 {MAX_RANGE_DAYS} 天,更长的请分段添加。",
                               {"to": [f"与开始日期相隔超过 {MAX_RANGE_DAYS} 天"]})


def _check_weekend(days):
    weekdays = [day for day in days if day.weekday() < 5]
    if weekdays:
        day = weekdays[0]
        raise ValidationFailed(f"调休上班只能是周六或周日:{day.isoformat()} 是{weekday_label(day)},本来就上班。",
                               {"kind": ["调休上班只能是周六或周日"]})


def _check_not_entered(days):
    taken = db.session.execute(
        db.select(CalendarDay).where(CalendarDay.day.between(days[0], days[-1])).order_by(CalendarDay.day)
    ).scalars().all()
    if taken:
        listed = "、".join(describe(entry) for entry in taken[:3]) + ("等" if len(taken) > 3 else "")
        raise ValidationFailed(f"{listed}已在日历中;要改,先删除再添加。", {"from": ["日期已在日历中"]})
