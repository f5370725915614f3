"""The holiday calendar (domain.md: a complaint is closed within 3 working days): a holiday (放假) is not a working
day, a weekend day made a working day (调休上班) is, and every day is a Beijing date. The dates are examples
in the shape of a 春节 notice, not any year's real schedule. Expected deadlines are worked out by hand."""
from datetime import date

import pytest

from app.clocks import calendar
from app.clocks import services as clocks
from app.errors import ValidationFailed
from app.extensions import db
from tests import factories
from tests.conftest import beijing, counted_queries

# Saturday 2027-02-06 to Friday 2027-02-12: seven days off.
SPRING_FESTIVAL = (date(2027, 2, 6), date(2027, 2, 12))


def spring_festival(admin=None):
    return calendar.add_days(admin or factories.user("admin"), *SPRING_FESTIVAL, working=False, name="春节")


def open_complaint_at(monkeypatch, moment):
    monkeypatch.setattr("app.work_orders.services.now_utc", lambda: moment)
    return factories.work_order(category="complaint")


def test_a_complaint_opened_the_friday_before_spring_festival_is_due_after_it(ctx, monkeypatch):
    spring_festival()
    order = open_complaint_at(monkeypatch, beijing(2027, 2, 5, 10))
    # Monday 15th, Tuesday 16th, Wednesday 17th: the three working days after the holiday.
    assert order.fixed_due_at == beijing(2027, 2, 17, 10)
    assert order.contact_due_at == beijing(2027, 2, 5, 11)  # minute clocks do not care about holidays


def test_a_weekend_working_day_counts(ctx):
    calendar.add_days(factories.user("admin"), date(2027, 2, 20), None, working=True, name="春节")
    # Friday 10:00 → Saturday 20th (调休上班), Monday 22nd, Tuesday 23rd; without it, Wednesday.
    assert clocks.add_working_days(beijing(2027, 2, 19, 10), 3) == beijing(2027, 2, 23, 10)


@pytest.mark.parametrize(("opened", "due"), [
    # 06:00 on Wednesday 10th in Beijing is still Tuesday 9th in UTC: the holiday is counted in Beijing.
    (beijing(2027, 2, 10, 6), beijing(2027, 2, 17, 6)),
    # 23:30 on the eve of the holiday: the Friday is over, the holiday still skipped.
    (beijing(2027, 2, 5, 23, 30), beijing(2027, 2, 17, 23, 30)),
    # Opened on the holiday's last day: Monday is the first working day.
    (beijing(2027, 2, 12, 9), beijing(2027, 2, 17, 9)),
])
def test_holidays_are_beijing_dates(ctx, opened, due):
    spring_festival()
    assert clocks.add_working_days(opened, 3) == due


@pytest.mark.parametrize("days", [3, 60])  # the default, and the most a policy allows
def test_the_calendar_is_read_in_one_query(ctx, days):
    spring_festival()
    calendar.add_days(factories.user("admin"), date(2027, 2, 20), None, working=True, name="春节")
    db.session.flush()
    with counted_queries() as statements:
        clocks.add_working_days(beijing(2027, 2, 5, 10), days)
    assert len(statements) == 1


def test_a_holiday_longer_than_the_window_is_still_skipped(ctx):
    admin = factories.user("admin")
    calendar.add_days(admin, date(2027, 1, 1), date(2027, 1, 31), working=False, name="停工")
    calendar.add_days(admin, date(2027, 2, 1), date(2027, 3, 3), working=False, name="停工")
    # Thursday 2026-12-31 → Thursday 4 March, Friday 5th, Monday 8th.
    assert clocks.add_working_days(beijing(2026, 12, 31, 10), 3) == beijing(2027, 3, 8, 10)


def test_a_calendar_change_does_not_move_a_deadline_already_stamped(ctx, monkeypatch):
    before = open_complaint_at(monkeypatch, beijing(2027, 2, 5, 10))
    assert before.fixed_due_at == beijing(2027, 2, 10, 10)  # Monday to Wednesday, no holiday known yet
    spring_festival()
    after = open_complaint_at(monkeypatch, beijing(2027, 2, 5, 10))
    db.session.expire_all()
    assert before.fixed_due_at == beijing(2027, 2, 10, 10)
    assert after.fixed_due_at == beijing(2027, 2, 17, 10)


def test_a_day_already_entered_is_refused_and_named(ctx):
    spring_festival()
    with pytest.raises(ValidationFailed) as refused:
        calendar.add_days(factories.user("admin"), date(2027, 2, 12), date(2027, 2, 14), working=False, name="春节")
    assert "2027-02-12(星期五,放假 春节)已在日历中" in refused.value.message
    assert "from" in refused.value.fields
