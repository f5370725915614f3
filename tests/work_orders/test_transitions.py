"""The work order's life: new → dispatched → accepted → on the way → on site → done → called back → closed."""
from datetime import UTC, datetime, timedelta

import pytest

from app.dispatch.services import dispatch
from app.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from app.work_orders import services
from app.work_orders.services import cancel, perform
from tests import factories


@pytest.fixture
def scene(ctx):
    area = factories.area()
    tech = factories.technician(area)
    dispatcher = factories.user("dispatcher")
    order = factories.work_order(factories.household(factories.estate(area)), actor=dispatcher, technician_=tech)
    return dict(area=area, tech=tech, dispatcher=dispatcher, order=order, back_office=factories.user("back_office"))


def test_an_order_lives_from_dispatch_to_closed_each_step_stamped(scene):
    order, tech, back_office = scene["order"], scene["tech"], scene["back_office"]
    factories.advance(order, tech, "accept", "contact", "depart", "arrive", "complete")
    perform(order, "call_back", back_office)
    perform(order, "close", back_office)
    assert order.status == "closed"
    stamps = ("dispatched_at", "accepted_at", "contacted_at", "departed_at", "arrived_at", "done_at",
              "called_back_at", "closed_at")
    assert all(getattr(order, stamp) is not None for stamp in stamps)
    assert [c.action for c in order.history] == [
        "open", "dispatch", "accept", "contact", "depart", "arrive", "complete", "call_back", "close"]
    assert [c.actor_id for c in order.history[2:7]] == [tech.id] * 5


@pytest.mark.parametrize("too_early", ["depart", "arrive", "complete", "call_back", "close"])
def test_steps_cannot_be_skipped(scene, too_early):
    actor = scene["back_office"] if too_early in ("call_back", "close") else scene["tech"]
    with pytest.raises(InvalidTransition):
        perform(scene["order"], too_early, actor)
    assert scene["order"].status == "dispatched"


def test_a_step_cannot_be_recorded_twice(scene):
    factories.advance(scene["order"], scene["tech"], "accept", "contact")
    with pytest.raises(InvalidTransition):
        perform(scene["order"], "contact", scene["tech"])


def test_a_technician_cannot_touch_another_technicians_order(scene):
    stranger = factories.technician(scene["area"])
    with pytest.raises(NotFound):
        perform(scene["order"], "accept", stranger)
    with pytest.raises(NotFound):
        services.get_visible(stranger, scene["order"].id)


def test_back_office_cannot_do_the_technicians_steps(scene):
    with pytest.raises(Forbidden):
        perform(scene["order"], "accept", scene["back_office"])


def test_cancelling_needs_a_reason(scene):
    with pytest.raises(ValidationFailed) as refused:
        cancel(scene["order"], scene["dispatcher"], "  ")
    assert "reason" in refused.value.fields
    assert scene["order"].status == "dispatched"


def test_an_order_can_be_cancelled_at_any_open_step_and_the_reason_is_kept(scene):
    factories.advance(scene["order"], scene["tech"], "accept", "depart")
    cancel(scene["order"], scene["dispatcher"], "客户来电说已自行关阀")
    assert scene["order"].status == "cancelled"
    assert scene["order"].history[-1].note == "客户来电说已自行关阀"
    assert scene["order"].next_due_at is None


def test_a_finished_order_cannot_be_cancelled(scene):
    factories.advance(scene["order"], scene["tech"], "accept", "depart", "arrive", "complete")
    with pytest.raises(InvalidTransition):
        cancel(scene["order"], scene["dispatcher"], "晚了")


def test_reassigning_keeps_the_history_and_takes_the_order_from_the_first_technician(scene):
    order, first = scene["order"], scene["tech"]
    factories.advance(order, first, "accept")
    second = factories.technician(scene["area"])
    dispatch(order, scene["dispatcher"], second)
    assert order.status == "dispatched" and order.technician_id == second.id
    assert order.accepted_at is None
    assert [(c.action, c.technician_id) for c in order.history] == [
        ("open", None), ("dispatch", first.id), ("accept", first.id), ("reassign", second.id)]
    with pytest.raises(NotFound):
        services.get_visible(first, order.id)


def test_an_order_on_site_cannot_be_reassigned(scene):
    factories.advance(scene["order"], scene["tech"], "accept", "depart", "arrive")
    with pytest.raises(InvalidTransition):
        dispatch(scene["order"], scene["dispatcher"], factories.technician(scene["area"]))


def test_only_a_technician_can_be_dispatched(scene):
    with pytest.raises(ValidationFailed):
        dispatch(factories.work_order(), scene["dispatcher"], scene["back_office"])


def test_a_consultation_is_answered_on_the_call_and_closed(ctx):
    dispatcher = factories.user("dispatcher")
    order = factories.work_order(category="consultation", actor=dispatcher, description="如何缴纳热费")
    services.answer_on_first_contact(order, dispatcher, "可在营业厅或微信公众号缴费")
    assert order.status == "closed" and order.history[-1].action == "answer"


def test_only_consultations_are_answered_without_a_visit(ctx):
    dispatcher = factories.user("dispatcher")
    with pytest.raises(InvalidTransition):
        services.answer_on_first_contact(factories.work_order(actor=dispatcher), dispatcher, "好的")


def test_the_phones_time_is_kept_beside_the_servers(scene):
    factories.age(scene["order"], 10)
    device_time = datetime.now(UTC) - timedelta(minutes=3)
    perform(scene["order"], "accept", scene["tech"], device_time=device_time)
    change = scene["order"].history[-1]
    assert change.device_time == device_time
    assert scene["order"].accepted_at == device_time


def test_a_phone_clock_in_the_future_or_before_the_order_is_not_believed(scene):
    order = scene["order"]
    perform(order, "accept", scene["tech"], device_time=datetime.now(UTC) + timedelta(hours=5))
    assert order.accepted_at <= datetime.now(UTC)
    perform(order, "depart", scene["tech"], device_time=order.created_at - timedelta(days=1))
    assert order.departed_at == order.created_at


def test_work_order_numbers_count_up_per_day(ctx):
    first, second = factories.work_order(), factories.work_order()
    assert first.number[:8] == second.number[:8]
    assert int(second.number[8:]) == int(first.number[8:]) + 1


def test_the_desk_is_offered_exactly_the_allowed_actions(scene):
    order, tech, dispatcher = scene["order"], scene["tech"], scene["dispatcher"]
    assert services.available_actions(order, tech) == ["accept", "contact"]
    assert services.available_actions(order, dispatcher) == ["contact", "cancel"]
    assert services.available_actions(order, scene["back_office"]) == []
