"""Appointments: agreed with the customer, moved at most once, night visits only when asked."""
from datetime import datetime, timedelta

import pytest

from app.errors import Conflict, ValidationFailed
from app.localtime import company_zone
from app.work_orders.appointments import is_night, set_appointment
from tests import factories


def beijing(days_ahead, hour, minute=0):
    day = datetime.now(company_zone()).date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=company_zone())


@pytest.fixture
def order(ctx):
    return factories.work_order(category="paid_service")


@pytest.fixture
def dispatcher(ctx):
    return factories.user("dispatcher")


def test_an_appointment_is_the_on_site_deadline(order, dispatcher):
    set_appointment(order, dispatcher, beijing(1, 10))
    assert order.on_site_due_at == beijing(1, 10)
    assert order.next_due_at == beijing(1, 10)


def test_an_appointment_may_be_moved_once(order, dispatcher):
    set_appointment(order, dispatcher, beijing(1, 10))
    set_appointment(order, dispatcher, beijing(2, 15))
    assert order.appointment_at == beijing(2, 15) and order.appointment_moves == 1
    assert [c.action for c in order.history][-2:] == ["appoint", "reschedule"]


def test_second_reschedule_is_refused(order, dispatcher):
    set_appointment(order, dispatcher, beijing(1, 10))
    set_appointment(order, dispatcher, beijing(2, 15))
    with pytest.raises(Conflict) as refused:
        set_appointment(order, dispatcher, beijing(3, 9))
    assert refused.value.code == "appointment_move_limit"
    assert "只能" in refused.value.message or "不能再改" in refused.value.message
    assert order.appointment_at == beijing(2, 15)


@pytest.mark.parametrize(("hour", "minute", "night"), [(19, 59, False), (20, 0, True), (7, 59, True), (8, 0, False)])
def test_night_is_from_eight_in_the_evening_to_eight_in_the_morning(hour, minute, night, ctx):
    assert is_night(beijing(1, hour, minute)) is night


def test_a_night_slot_needs_the_customers_request(order, dispatcher):
    with pytest.raises(ValidationFailed) as refused:
        set_appointment(order, dispatcher, beijing(1, 21))
    assert "customer_asked_night" in refused.value.fields
    assert order.appointment_at is None
    set_appointment(order, dispatcher, beijing(1, 21), customer_asked_night=True)
    assert order.appointment_night_requested


def test_an_appointment_in_the_past_is_refused(order, dispatcher):
    with pytest.raises(ValidationFailed):
        set_appointment(order, dispatcher, beijing(-1, 10))


def test_a_repair_booked_later_moves_its_repair_window_with_it(ctx, dispatcher):
    order = factories.work_order(category="repair")
    set_appointment(order, dispatcher, beijing(3, 10))
    assert order.on_site_due_at == beijing(3, 10)
    assert order.fixed_due_at == beijing(3, 10) + timedelta(hours=22)
