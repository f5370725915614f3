"""Every completed order is called back; the answer records whether the problem is solved and whether the
customer is satisfied; an unsolved one reopens the order (domain.md “Callback 回访 and satisfaction”)."""
from datetime import timedelta

import pytest

from app.callbacks import services as callbacks
from app.callbacks.models import ANSWERED, PENDING
from app.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.localtime import now_utc
from app.visits import services as visits
from app.work_orders import queries
from tests.callbacks.conftest import complete
from tests.conftest import beijing


def test_completing_through_the_one_door_makes_a_callback_task(company):
    order = company.completed("repair")
    task = callbacks.pending_for(order)
    assert (task.status, task.round, task.category, task.branch_id, task.technician_id) == (
        PENDING, 1, "repair", company.branch.id, company.tech.id)


def test_a_consultation_is_not_called_back(company):
    assert callbacks.open_for(company.order("consultation")) is None


def test_the_bare_call_back_step_is_refused_while_the_callback_waits_for_its_answer(company):
    order = company.completed("repair")
    with pytest.raises(Conflict) as refused:
        visits.advance(order, company.back_office, "call_back")
    assert refused.value.code == "callback_pending" and order.status == "done"
    with pytest.raises(Forbidden):
        visits.advance(order, company.dispatcher, "call_back")


def test_not_reached_keeps_the_task_pending_with_the_attempt_and_its_retry_time(company):
    order = company.completed("repair")
    task = callbacks.pending_for(order)
    retry = beijing(2030, 1, 7, 10, 0)
    callbacks.not_reached(task, company.back_office, "无人接听", retry)
    callbacks.not_reached(task, company.back_office, "", None)
    assert task.status == PENDING and order.status == "done"
    assert [(a.note, a.by_id) for a in task.attempts] == [("无人接听", company.back_office.id),
                                                          ("未接通", company.back_office.id)]
    assert task.attempts[0].retry_at == retry and task.attempts[1].retry_at > now_utc()
    assert [c.action for c in order.history][-2:] == ["callback_attempt", "callback_attempt"]


@pytest.mark.parametrize("retry", [beijing(2030, 1, 7, 21, 30), beijing(2030, 1, 7, 7, 59)])
def test_a_retry_at_night_or_in_the_past_is_refused(company, retry):
    task = callbacks.pending_for(company.completed("repair"))
    for when in (retry, now_utc() - timedelta(minutes=5)):
        with pytest.raises(ValidationFailed) as refused:
            callbacks.not_reached(task, company.back_office, "关机", when)
        assert "retry_at" in refused.value.fields
    assert task.attempts == []


def test_solved_moves_the_order_to_called_back_with_the_answer(company):
    order = company.completed("repair")
    task = callbacks.answer(callbacks.pending_for(order), company.back_office, True, "satisfied", "暖气热了")
    assert (task.status, task.source, task.solved, task.satisfaction, task.comment) == (
        ANSWERED, "phone", True, "satisfied", "暖气热了")
    assert task.answered_by_id == company.back_office.id and order.status == "called_back"
    assert order.history[-1].action == "call_back" and "问题已解决,满意" in order.history[-1].note


def test_solved_and_close_closes_the_order_at_once(company):
    order = company.completed("repair")
    callbacks.answer(callbacks.pending_for(order), company.back_office, True, "fair", "", close=True)
    assert order.status == "closed" and [c.action for c in order.history][-2:] == ["call_back", "close"]


def test_not_solved_reopens_the_order_back_to_dispatch_with_its_history(company):
    order = company.completed("repair")
    first_done = order.done_at
    before = now_utc()
    callbacks.answer(callbacks.pending_for(order), company.back_office, False, "dissatisfied", "暖气还是不热")
    assert order.status == "new" and order.technician_id is None
    assert order.done_at is None and order.arrived_at is None and order.dispatched_at is None
    reopened = order.history[-1]
    assert (reopened.action, reopened.from_status, reopened.to_status) == ("reopen", "done", "new")
    assert "暖气还是不热" in reopened.note and "张建军" in reopened.note
    assert reopened.technician_id == company.tech.id  # whose work the customer found unsolved
    assert [c.action for c in order.history].count("complete") == 1 and first_done < reopened.at
    assert order.contact_due_at >= before + timedelta(minutes=30) and order.next_due_at == order.contact_due_at
    board = queries.page_of(queries.filtered(company.dispatcher), 1, 50)["items"]
    assert order in board


def test_a_reopened_order_completed_again_gets_round_two(company):
    order = company.completed("repair")
    callbacks.answer(callbacks.pending_for(order), company.back_office, False, "dissatisfied", "还是漏水")
    from app.dispatch.services import dispatch

    dispatch(order, company.dispatcher, company.tech)
    complete(order, company.tech)
    second = callbacks.pending_for(order)
    assert second.round == 2 and second.completed_at == order.done_at
    assert [r.round for r in callbacks.rounds_of(order)] == [1, 2]


def test_an_answered_callback_cannot_be_answered_again(company):
    task = callbacks.pending_for(company.completed("repair"))
    callbacks.answer(task, company.back_office, True, "satisfied")
    with pytest.raises(Conflict):
        callbacks.answer(task, company.back_office, False, "dissatisfied", "又坏了")
    with pytest.raises(Conflict):
        callbacks.not_reached(task, company.back_office, "无人接听")


@pytest.mark.parametrize(("solved", "satisfaction", "comment", "field"), [
    (False, "dissatisfied", "  ", "comment"),  # not solved: what is wrong, for the technician who goes back
    (True, "happy", "", "satisfaction"),
    (None, "satisfied", "", "solved"),
    (True, "satisfied", "很" * 501, "comment"),
])
def test_an_incomplete_answer_is_refused_and_nothing_changes(company, solved, satisfaction, comment, field):
    order = company.completed("repair")
    task = callbacks.pending_for(order)
    with pytest.raises(ValidationFailed) as refused:
        callbacks.answer(task, company.back_office, solved, satisfaction, comment)
    assert field in refused.value.fields
    assert task.status == PENDING and order.status == "done"


def test_only_the_back_office_and_admin_record_callbacks(company):
    task = callbacks.pending_for(company.completed("repair"))
    for actor in (company.dispatcher, company.tech):
        with pytest.raises(Forbidden):
            callbacks.answer(task, actor, True, "satisfied")


def test_a_closed_order_is_not_reopened(company):
    order = company.completed("repair")
    task = callbacks.pending_for(order)
    order.status = "closed"  # closed behind the callback's back (before this feature existed)
    with pytest.raises(InvalidTransition):
        callbacks.answer(task, company.back_office, False, "dissatisfied", "没修好")
    assert task.status == PENDING and order.status == "closed"
