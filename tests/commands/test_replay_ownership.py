"""A client_uuid belongs to the technician who sent it first; a replay shows no more than a fresh read would."""
import uuid

import pytest

from app.auth.models import User
from app.commands.models import Command
from app.dispatch.services import dispatch
from app.extensions import db
from app.photos.models import Photo
from app.work_orders.models import WorkOrder
from tests.commands.test_commands_api import count, send
from tests.photos.test_photos import jpeg, upload


@pytest.fixture
def on_site(app, client, world):
    world.as_(client, "technician")
    for action in ("accept", "depart", "arrive"):
        assert send(client, world, "transition", {"action": action}).status_code == 200
    return client


def other_phone(app, world):
    return world.as_(app.test_client(), "other_technician")


def reassign(app, world):
    with app.app_context():
        dispatch(db.session.get(WorkOrder, world["order"]), db.session.get(User, world["dispatcher"]),
                 db.session.get(User, world["other_technician"]))
        db.session.commit()


def hand_over(app, world):
    """The order is someone else's now (a reopened order sent to another technician, say)."""
    with app.app_context():
        db.session.get(WorkOrder, world["order"]).technician_id = world["other_technician"]
        db.session.commit()


def household_words(app, world):
    with app.app_context():
        household = db.session.get(WorkOrder, world["order"]).household
        return [household.name, household.phone, household.account_number]


def test_another_technicians_uuid_is_refused_and_reveals_nothing(app, on_site, world):
    key = str(uuid.uuid4())
    assert send(on_site, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key).status_code == 200
    stranger = other_phone(app, world)
    answer = send(stranger, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    assert answer.status_code == 409 and answer.get_json()["error"] == "uuid_taken"
    assert not any(word in answer.get_data(as_text=True) for word in household_words(app, world))
    assert count(app, Command, client_uuid=key) == 1


def test_another_technicians_uuid_on_his_own_order_is_refused_too(app, on_site, world):
    key = str(uuid.uuid4())
    send(on_site, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    answer = send(other_phone(app, world), world, "transition", {"action": "accept"}, client_uuid=key,
                  order=world["other_order"])
    assert answer.status_code == 409 and answer.get_json()["error"] == "uuid_taken"
    with app.app_context():
        assert db.session.get(WorkOrder, world["other_order"]).status == "dispatched"  # nothing applied


def test_a_replay_after_reassignment_says_applied_without_the_order(app, client, world):
    world.as_(client, "technician")
    key = str(uuid.uuid4())
    assert send(client, world, "transition", {"action": "accept"}, client_uuid=key).status_code == 200
    reassign(app, world)
    again = send(client, world, "transition", {"action": "accept"}, client_uuid=key)
    body = again.get_json()
    assert again.status_code == 200 and body["replayed"] is True and body["work_order"] is None
    assert not any(word in again.get_data(as_text=True) for word in household_words(app, world))


def test_another_technicians_photo_uuid_is_refused_and_reveals_nothing(app, on_site, world):
    key = str(uuid.uuid4())
    assert upload(on_site, world, jpeg(640, 480), client_uuid=key).status_code == 200
    answer = upload(other_phone(app, world), world, jpeg(640, 480), client_uuid=key)
    assert answer.status_code == 409 and answer.get_json()["error"] == "uuid_taken"
    assert not any(word in answer.get_data(as_text=True) for word in household_words(app, world))
    assert count(app, Photo) == 1


def test_a_photo_replay_after_reassignment_says_applied_without_the_order(app, on_site, world):
    key = str(uuid.uuid4())
    raw = jpeg(640, 480)
    upload(on_site, world, raw, client_uuid=key)
    hand_over(app, world)
    again = upload(on_site, world, raw, client_uuid=key)
    assert again.status_code == 200 and again.get_json()["work_order"] is None
    assert count(app, Photo) == 1


def test_the_first_sender_still_gets_his_answer(app, on_site, world):
    key = str(uuid.uuid4())
    send(on_site, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    send(other_phone(app, world), world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    again = send(on_site, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    assert again.status_code == 200 and again.get_json()["work_order"]["id"] == world["order"]

