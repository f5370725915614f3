"""The customer's own rating on the slip's verification page is the self-service side of 一访: it answers
the callback when they say the problem is solved, and flags it for a call when they say it is not."""
import pytest
from sqlalchemy import update

from app.callbacks import services as callbacks
from app.callbacks.models import ANSWERED, PENDING, Callback
from app.dispatch.services import dispatch
from app.extensions import db
from app.service_slips import services as slips
from app.visits import services as visits
from app.work_orders.models import WorkOrder
from tests.callbacks.conftest import complete, finish_visit, signed_free_slip


@pytest.fixture
def signed(company):
    """A repair whose free slip the customer signed on site; the technician has not tapped 完工 yet."""
    order, tech, slip = signed_free_slip(company.area)
    finish_visit(order, tech, repair=False)
    return order, tech, slip


def test_solved_on_the_slip_page_answers_the_callback_and_calls_the_order_back(signed):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    rating = slips.rate(slip, "satisfied", "师傅很专业", solved=True)
    task = callbacks.rounds_of(order)[0]
    assert (task.status, task.source, task.solved, task.satisfaction, task.comment) == (
        ANSWERED, "slip", True, "satisfied", "师傅很专业")
    assert task.slip_rating is rating and task.answered_by_id is None and task.answered_at == rating.rated_at
    assert order.status == "called_back"
    assert order.history[-1].actor_id is None and order.history[-1].note.startswith("客户扫码评价")


def test_not_solved_on_the_slip_page_flags_the_callback_and_reopens_nothing(signed, company):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    slips.rate(slip, "dissatisfied", "还是不热", solved=False)
    task = callbacks.pending_for(order)
    assert task.status == PENDING and callbacks.is_flagged(task) and order.status == "done"
    callbacks.answer(task, company.back_office, False, "dissatisfied", "电话核实:卧室仍然不热")
    assert order.status == "new" and not callbacks.is_flagged(task)


def test_a_rating_that_does_not_say_whether_it_is_solved_is_shown_but_answers_nothing(signed):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    slips.rate(slip, "fair", "", solved=None)
    task = callbacks.pending_for(order)
    assert task.status == PENDING and task.slip_rating is slip.rating and not callbacks.is_flagged(task)


def test_a_rating_given_before_the_completion_reached_the_server_counts_at_completion(signed):
    order, tech, slip = signed
    slips.rate(slip, "satisfied", "", solved=True)  # scanned on the spot; the phone's 完工 was still offline
    assert callbacks.rounds_of(order) == []
    visits.advance(order, tech, "complete")
    task = callbacks.rounds_of(order)[0]
    assert (task.status, task.source) == (ANSWERED, "slip") and order.status == "called_back"
    assert order.called_back_at == order.done_at  # never before the completion it answers


def test_the_first_rounds_slip_does_not_answer_the_second_round(signed, company):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    callbacks.answer(callbacks.pending_for(order), company.back_office, False, "dissatisfied", "还是漏水")
    dispatch(order, company.dispatcher, tech)
    complete(order, tech)
    slips.rate(slip, "satisfied", "", solved=True)
    second = callbacks.pending_for(order)
    assert second.round == 2 and second.slip_rating is None and order.status == "done"


def test_the_verification_page_asks_whether_the_problem_is_solved(app, client, signed):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    db.session.commit()
    url = f"/v/{slip.verify_token}"
    assert "问题是否已解决" in client.get(url).get_data(as_text=True)
    rating = {"solved": "no", "satisfaction": "dissatisfied", "comment": "还是不热"}
    assert client.post(url, data=rating).status_code == 303
    assert "客服人员会尽快给您回电" in client.get(url).get_data(as_text=True)
    with app.app_context():
        task = callbacks.pending_for(db.session.merge(order))
        assert callbacks.is_flagged(task) and task.work_order.status == "done"


def test_a_strange_answer_to_the_question_is_refused(app, client, signed):
    order, tech, slip = signed
    db.session.commit()
    refused = client.post(f"/v/{slip.verify_token}", data={"solved": "maybe", "satisfaction": "satisfied"})
    assert refused.status_code == 422


def _meanwhile(monkeypatch, *changes):
    """The rating reads the task as pending, then another transaction commits `changes` before it writes:
    the rows change under the session's feet (its objects still say what they read)."""
    read = callbacks.pending_for

    def read_then_others_commit(order):
        seen = read(order)
        for change in changes:
            db.session.connection().execute(change)
        return seen

    monkeypatch.setattr(callbacks, "pending_for", read_then_others_commit)


def test_a_clerks_answer_that_came_first_stands_against_the_customers_rating(signed, company, monkeypatch):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    task = callbacks.pending_for(order)
    _meanwhile(monkeypatch,  # the clerk reached the customer: not solved, reopened
               update(Callback.__table__).where(Callback.__table__.c.id == task.id).values(
                   status=ANSWERED, source="phone", solved=False, satisfaction="dissatisfied", comment="还是不热"),
               update(WorkOrder.__table__).where(WorkOrder.__table__.c.id == order.id).values(status="new"))
    rating = slips.rate(slip, "satisfied", "", solved=True)
    db.session.expire_all()
    assert (task.status, task.source, task.solved, task.slip_rating) == (ANSWERED, "phone", False, None)
    assert order.status == "new" and slip.rating is rating  # the reopen stands; the rating is kept on the slip


def test_a_rating_for_an_order_no_longer_done_does_not_call_it_back(signed, monkeypatch):
    order, tech, slip = signed
    visits.advance(order, tech, "complete")
    task = callbacks.pending_for(order)
    _meanwhile(monkeypatch, update(WorkOrder.__table__).where(WorkOrder.__table__.c.id == order.id).values(
        status="new"))
    rating = slips.rate(slip, "satisfied", "", solved=True)
    db.session.expire_all()
    assert (task.status, task.slip_rating, order.status) == (PENDING, rating, "new")
