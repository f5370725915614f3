"""A run of outbox items in one request: each applied once, exactly as POST /commands would apply it alone, and
the order sent back once, with the last item that names it."""
import json
import uuid
from datetime import datetime, timezone

import pytest

from app.commands.models import Command
from app.commands.schemas import BATCH_MAX
from app.extensions import db
from app.visits.models import VisitStep
from app.work_orders.models import StatusChange, WorkOrder
from tests.commands.test_commands_api import count, send
from tests.commands.test_replay_ownership import household_words, other_phone

VISIT_START = [("transition", {"action": "accept"}), ("transition", {"action": "depart"}),
               ("transition", {"action": "arrive"}), ("step", {"step": "knock", "outcome": "done"})]


def item(world, type_, payload, order=None, client_uuid=None):
    return {"client_uuid": client_uuid or str(uuid.uuid4()), "type": type_, "work_order_id": order or world["order"],
            "payload": payload, "device_time": datetime.now(timezone.utc).isoformat()}


def send_batch(client, items):
    return client.post("/api/v1/commands/batch", json={"commands": items})


@pytest.fixture
def phone(client, world):
    return world.as_(client, "technician")


def test_a_batch_applies_each_item_in_order_and_sends_the_order_back_once(app, phone, world):
    response = send_batch(phone, [item(world, *command) for command in VISIT_START])
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["status"], r["http_status"], r["replayed"]) for r in results] == [("applied", 200, False)] * 4
    assert [r["work_order"] is None for r in results] == [True, True, True, False]
    last = results[-1]["work_order"]
    assert last["status"] == "on_site" and [s["step"] for s in last["visit"]["steps"]] == ["knock"]
    assert [change["action"] for change in last["history"]][-3:] == ["accept", "depart", "arrive"]


def test_the_order_a_batch_answers_is_the_order_a_single_command_answers(app, phone, world):
    """The phone replaces its job with either: they must not differ."""
    batch = send_batch(phone, [item(world, *command) for command in VISIT_START[:3]]).get_json()["results"][-1]
    alone = send(phone, world, *VISIT_START[3]).get_json()["work_order"]
    alone["visit"] = alone["history"] = None  # the step the single command added, and nothing else, differs
    batch["work_order"]["visit"] = batch["work_order"]["history"] = None
    assert batch["work_order"] == alone


def test_a_refused_item_is_kept_with_its_answer_and_stops_nothing_after_it(app, phone, world):
    items = [item(world, "transition", {"action": "accept"}), item(world, "transition", {"action": "arrive"}),
             item(world, "transition", {"action": "depart"})]
    results = send_batch(phone, items).get_json()["results"]
    assert [(r["status"], r["http_status"]) for r in results] == [("applied", 200), ("refused", 409), ("applied", 200)]
    alone = send(phone, world, "transition", {"action": "arrive"}, client_uuid=items[1]["client_uuid"])
    assert results[1]["error"] == alone.get_json() and alone.status_code == 409  # kept, answered the same again
    assert results[1]["work_order"] is None and results[2]["work_order"]["status"] == "on_the_way"
    with app.app_context():
        assert db.session.get(WorkOrder, world["order"]).status == "on_the_way"
        assert db.session.execute(db.select(Command.outcome).filter_by(
            client_uuid=items[1]["client_uuid"])).scalar_one() == "refused"


def test_a_batch_sent_again_is_replayed_and_changes_nothing(app, phone, world):
    items = [item(world, *command) for command in VISIT_START]
    first = send_batch(phone, items).get_json()["results"]
    changes = count(app, StatusChange, work_order_id=world["order"])
    again = send_batch(phone, items).get_json()["results"]
    assert [r["replayed"] for r in again] == [True] * 4
    assert again[-1]["work_order"]["visit"]["steps"] == first[-1]["work_order"]["visit"]["steps"]
    assert count(app, VisitStep) == 1 and count(app, StatusChange, work_order_id=world["order"]) == changes


def test_a_batch_cut_short_is_finished_by_sending_it_again(app, phone, world):
    """The phone lost the answer after the first two items were applied: it sends the whole run again."""
    items = [item(world, *command) for command in VISIT_START]
    send_batch(phone, items[:2])
    results = send_batch(phone, items).get_json()["results"]
    assert [r["replayed"] for r in results] == [True, True, False, False]
    assert results[-1]["work_order"]["status"] == "on_site" and count(app, VisitStep) == 1


def test_each_order_comes_back_on_its_own_last_item(app, phone, world):
    other = other_order_of_the_technician(app, world)
    items = [item(world, "transition", {"action": "accept"}), item(world, "transition", {"action": "accept"}, other),
             item(world, "transition", {"action": "depart"}), item(world, "transition", {"action": "depart"}, other),
             item(world, "transition", {"action": "arrive"}, other)]
    results = send_batch(phone, items).get_json()["results"]
    assert [r["work_order"] and (r["work_order"]["id"], r["work_order"]["status"]) for r in results] == [
        None, None, (world["order"], "on_the_way"), None, (other, "on_site")]


def test_another_technicians_order_in_a_batch_is_refused_alone_and_reveals_nothing(app, phone, world):
    items = [item(world, "transition", {"action": "accept"}, world["other_order"]),
             item(world, "transition", {"action": "accept"})]
    response = send_batch(phone, items)
    results = response.get_json()["results"]
    assert [(r["status"], r["http_status"]) for r in results] == [("refused", 404), ("applied", 200)]
    with app.app_context():
        assert db.session.get(WorkOrder, world["other_order"]).status == "dispatched"


def test_another_technicians_uuid_in_a_batch_is_refused_alone_and_reveals_nothing(app, phone, world):
    key = str(uuid.uuid4())
    assert send(phone, world, "transition", {"action": "accept"}, client_uuid=key).status_code == 200
    stranger = other_phone(app, world)
    items = [item(world, "transition", {"action": "accept"}, world["other_order"], client_uuid=key),
             item(world, "transition", {"action": "accept"}, world["other_order"])]
    response = send_batch(stranger, items)
    results = response.get_json()["results"]
    assert [(r["status"], r["http_status"]) for r in results] == [("refused", 409), ("applied", 200)]
    assert results[0]["error"]["error"] == "uuid_taken"
    refused = json.dumps(results[0], ensure_ascii=False)
    assert not any(word in refused for word in household_words(app, world))
    assert count(app, Command, client_uuid=key) == 1


@pytest.mark.parametrize("body", [{"commands": []}, {"commands": "accept"}, {},
                                  {"commands": [{"client_uuid": "x", "type": "step", "work_order_id": 1}]}])
def test_a_malformed_batch_is_refused_whole_and_keeps_nothing(app, phone, world, body):
    good = item(world, "transition", {"action": "accept"})
    if body.get("commands") and isinstance(body["commands"], list):
        body = {"commands": [good, *body["commands"]]}
    response = phone.post("/api/v1/commands/batch", json=body)
    assert response.status_code == 422 and response.get_json()["error"] == "validation_failed"
    assert count(app, Command) == 0


def test_a_batch_holds_at_most_its_limit(app, phone, world):
    items = [item(world, "note", {"text": f"第{n}条"}) for n in range(BATCH_MAX + 1)]
    response = send_batch(phone, items)
    assert response.status_code == 422 and "commands" in response.get_json()["fields"]
    assert count(app, Command) == 0


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "admin"])
def test_only_a_technician_sends_a_batch(app, client, world, role):
    world.as_(client, role)
    assert send_batch(client, [item(world, "transition", {"action": "accept"})]).status_code == 403


def test_nobody_signed_in_sends_no_batch(app, client, world):
    assert send_batch(client, [item(world, "transition", {"action": "accept"})]).status_code == 401


def other_order_of_the_technician(app, world):
    from app.auth.models import User
    from tests import factories

    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        other = factories.work_order(order.household, actor=db.session.get(User, world["dispatcher"]),
                                     technician_=db.session.get(User, world["technician"]))
        db.session.commit()
        return other.id
