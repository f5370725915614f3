"""/api/v1/callbacks: the queue and its answers for an integration; errors in the one JSON shape."""
from datetime import timedelta

import pytest

from app.callbacks.models import Callback, CallbackAttempt
from app.extensions import db
from app.work_orders.models import WorkOrder
from tests.conftest import beijing


def _state(app, ids):
    with app.app_context():
        task = db.session.get(Callback, ids.callback)
        attempts = db.session.execute(db.select(CallbackAttempt).filter_by(callback_id=task.id)).scalars().all()
        return task.status, db.session.get(WorkOrder, ids.order).status, len(attempts)


def test_the_queue_lists_pending_callbacks_by_due_time_and_overdue_ones_on_request(client, desk):
    later, late = desk.pending("repair"), desk.pending("repair", overdue_by=timedelta(hours=3, minutes=5))
    items = desk.as_(client, "dispatcher").get("/api/v1/callbacks").get_json()["items"]
    assert [i["id"] for i in items] == [late.callback, later.callback]
    first = items[0]
    assert (first["due_state"], first["due_text"]) == ("overdue", "已超时 3 小时 5 分钟")
    assert first["work_order"]["household"]["phone"] == "13592050076" and first["technician"]["name"] == "张建军"
    overdue = client.get("/api/v1/callbacks?overdue=true").get_json()
    assert overdue["total"] == 1 and overdue["items"][0]["id"] == late.callback
    assert client.get("/api/v1/callbacks?status=answered").get_json()["total"] == 0


def test_answering_solved_calls_the_order_back(app, client, desk):
    ids = desk.pending()
    answer = desk.as_(client, "back_office").post(f"/api/v1/callbacks/{ids.callback}/answer",
                                                    json={"solved": True, "satisfaction": "satisfied", "close": True})
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["status"], body["source"], body["answered_by"], body["work_order"]["status"]) == (
        "answered", "phone", "陈静", "closed")


def test_answering_not_solved_reopens_the_order_and_the_dispatch_board_shows_it(app, client, desk):
    ids = desk.pending()
    desk.as_(client, "back_office").post(f"/api/v1/callbacks/{ids.callback}/answer",
                                         json={"solved": False, "satisfaction": "dissatisfied", "comment": "还是不热"})
    assert _state(app, ids) == ("answered", "new", 0)
    board = desk.as_(client, "dispatcher").get("/dispatch/board").get_data(as_text=True)
    assert ids.number in board


@pytest.mark.parametrize(("body", "field"), [
    ({"satisfaction": "satisfied"}, "solved"),
    ({"solved": True, "satisfaction": "happy"}, "satisfaction"),
    ({"solved": False, "satisfaction": "dissatisfied"}, "comment"),
    ({"solved": "perhaps", "satisfaction": "fair"}, "solved"),
])
def test_a_bad_answer_is_422_and_nothing_changes(app, client, desk, body, field):
    ids = desk.pending()
    refused = desk.as_(client, "back_office").post(f"/api/v1/callbacks/{ids.callback}/answer", json=body)
    assert refused.status_code == 422
    error = refused.get_json()
    assert error["error"] == "validation_failed" and field in error["fields"]
    assert _state(app, ids) == ("pending", "done", 0)


def test_not_reached_is_kept_with_its_retry_time(app, client, desk):
    ids = desk.pending()
    kept = desk.as_(client, "back_office").post(f"/api/v1/callbacks/{ids.callback}/attempts",
                                                json={"note": "关机", "retry_at": "2030-01-07T10:00:00+08:00"})
    assert kept.status_code == 201
    attempt = kept.get_json()["attempts"][0]
    retry = beijing(2030, 1, 7, 10).isoformat()
    assert (attempt["note"], attempt["by"], attempt["retry_at"]) == ("关机", "陈静", retry)
    assert _state(app, ids) == ("pending", "done", 1)


@pytest.mark.parametrize(("retry_at", "status"), [
    ("2030-01-07T22:00:00+08:00", 409), ("2020-01-07T10:00:00+08:00", 409),  # rules: at night, in the past
    ("明天", 422),  # not a time at all: the document rules it out
])
def test_a_retry_at_night_in_the_past_or_unreadable_is_refused(app, client, desk, retry_at, status):
    ids = desk.pending()
    refused = desk.as_(client, "back_office").post(f"/api/v1/callbacks/{ids.callback}/attempts",
                                                   json={"retry_at": retry_at})
    assert refused.status_code == status and "retry_at" in refused.get_json()["fields"]
    assert _state(app, ids) == ("pending", "done", 0)


def test_a_second_answer_is_409_and_an_unknown_callback_404(client, desk):
    ids = desk.pending()
    desk.as_(client, "back_office")
    url = f"/api/v1/callbacks/{ids.callback}/answer"
    assert client.post(url, json={"solved": True, "satisfaction": "fair"}).status_code == 200
    again = client.post(url, json={"solved": True, "satisfaction": "satisfied"})
    assert again.status_code == 409 and again.get_json()["error"] == "callback_answered"
    missing = client.post("/api/v1/callbacks/99999/answer", json={"solved": True, "satisfaction": "fair"})
    assert missing.status_code == 404 and set(missing.get_json()) == {"error", "message", "fields"}


def test_a_branch_or_page_beyond_any_id_is_a_422_not_a_crash(client, desk):
    desk.as_(client, "back_office")
    for query in ("branch_id=99999999999999999999", "page=99999999999999999999"):
        response = client.get(f"/api/v1/callbacks?{query}")
        assert response.status_code == 422 and response.get_json()["error"] == "validation_failed"
