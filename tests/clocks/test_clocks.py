"""The clocks of domain.md: which deadlines each category starts, and when an order is overdue."""
from datetime import UTC, datetime, timedelta

import pytest

from app.clocks import services as clocks
from app.work_orders.services import perform
from tests import factories

MIN = timedelta(minutes=1)


def _minutes_after_open(order, due):
    return round((due - order.created_at) / MIN)


def test_urgent_leak_must_be_on_site_within_30_minutes(ctx):
    order = factories.work_order(category="urgent_leak")
    assert _minutes_after_open(order, order.on_site_due_at) == 30
    assert order.contact_due_at is None and order.fixed_due_at is None
    assert order.next_due_at == order.on_site_due_at


def test_repair_must_contact_in_30_minutes_be_on_site_in_2_hours_and_fixed_in_24(ctx):
    order = factories.work_order(category="repair")
    assert _minutes_after_open(order, order.contact_due_at) == 30
    assert _minutes_after_open(order, order.on_site_due_at) == 120
    assert _minutes_after_open(order, order.fixed_due_at) == 24 * 60


def test_complaint_is_answered_within_an_hour_and_closed_within_three_working_days(ctx):
    order = factories.work_order(category="complaint")
    assert _minutes_after_open(order, order.contact_due_at) == 60
    assert order.fixed_due_at > order.created_at + timedelta(days=3) - MIN


def test_three_working_days_skip_the_weekend(ctx):
    friday_noon_beijing = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    due = clocks.add_working_days(friday_noon_beijing, 3)
    assert due == datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # Wednesday noon


def test_consultation_starts_no_clock(ctx):
    order = factories.work_order(category="consultation")
    assert clocks.clocks(order) == []
    assert order.next_due_at is None


@pytest.mark.parametrize("category", ["paid_service", "temperature_check"])
def test_booked_categories_wait_for_the_appointment(ctx, category):
    order = factories.work_order(category=category)
    assert order.on_site_due_at is None


def test_policy_change_applies_to_orders_opened_afterwards(ctx):
    """The “半小时回音、半小时到位” alternative is a setting, not code."""
    admin = factories.user("admin")
    before = factories.work_order(category="repair")
    clocks.update_policy(admin, "repair", {"contact_minutes": 30, "on_site_minutes": 30}, by_appointment=False)
    after = factories.work_order(category="repair")
    assert _minutes_after_open(before, before.on_site_due_at) == 120
    assert _minutes_after_open(after, after.on_site_due_at) == 30
    assert after.fixed_due_at is None


def test_policy_refuses_a_negative_limit(ctx):
    from app.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        clocks.update_policy(factories.user("admin"), "repair", {"on_site_minutes": -5}, by_appointment=False)
    assert "on_site_minutes" in refused.value.fields


def test_order_is_overdue_once_its_next_deadline_passes(ctx):
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), "urgent_leak", technician_=tech)
    assert clocks.clocks(order)[0].state() == "running"
    factories.age(order, 31)
    assert clocks.clocks(order)[0].state() == "overdue"
    assert order.next_due_at < datetime.now(UTC)


def test_next_deadline_moves_on_when_a_clock_is_met(ctx):
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), "repair", technician_=tech)
    assert order.next_due_at == order.contact_due_at
    factories.advance(order, tech, "accept", "contact")
    assert order.next_due_at == order.on_site_due_at
    factories.advance(order, tech, "depart", "arrive")
    assert order.next_due_at == order.fixed_due_at
    perform(order, "complete", tech)
    assert order.next_due_at is None
    assert clocks.is_timely(order)


def test_a_clock_met_late_makes_the_order_untimely(ctx):
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), "urgent_leak", technician_=tech)
    factories.age(order, 45)
    factories.advance(order, tech, "accept", "depart", "arrive")
    assert clocks.clocks(order)[0].state() == "late"
    assert not clocks.is_timely(order)


def test_arriving_counts_as_contacting_the_customer(ctx):
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), "repair", technician_=tech)
    factories.advance(order, tech, "accept", "depart", "arrive")
    assert order.contacted_at == order.arrived_at
