"""Commands from the phone: applied once however often they are sent; refusals kept for the desk."""
import threading
import uuid
from datetime import datetime, timezone

import pytest

from app.commands.models import Command
from app.dispatch.services import dispatch
from app.extensions import db
from app.visits.models import VisitStep
from app.work_orders.models import WorkOrder


@pytest.fixture
def phone(app, client, world):
    """The technician's phone, signed in, with the order accepted, on the way and arrived."""
    world.as_(client, "technician")
    for action in ("accept", "depart", "arrive"):
        assert send(client, world, "transition", {"action": action}).status_code == 200
    return client


def send(client, world, type_, payload, client_uuid=None, order=None):
    return client.post("/api/v1/commands", json={
        "client_uuid": client_uuid or str(uuid.uuid4()), "type": type_,
        "work_order_id": order or world["order"], "payload": payload,
        "device_time": datetime.now(timezone.utc).isoformat()})


def count(app, model, **filters):
    with app.app_context():
        return db.session.query(model).filter_by(**filters).count()


def test_a_command_is_applied_and_answers_with_the_order(app, phone, world):
    response = send(phone, world, "step", {"step": "knock", "outcome": "done"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "applied" and body["replayed"] is False
    assert [s["step"] for s in body["work_order"]["visit"]["steps"]] == ["knock"]


def test_a_replayed_command_changes_nothing_and_gets_the_first_answer(app, phone, world):
    key = str(uuid.uuid4())
    first = send(phone, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    again = send(phone, world, "step", {"step": "knock", "outcome": "done"}, client_uuid=key)
    assert first.status_code == again.status_code == 200
    assert again.get_json()["replayed"] is True
    assert count(app, VisitStep) == 1 and count(app, Command, client_uuid=key) == 1


def test_a_replayed_transition_is_not_applied_twice(app, client, world):
    world.as_(client, "technician")
    key = str(uuid.uuid4())
    for _ in range(3):
        assert send(client, world, "transition", {"action": "accept"}, client_uuid=key).status_code == 200
    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        assert [c.action for c in order.history].count("accept") == 1


def test_a_refused_command_is_kept_and_a_replay_is_refused_the_same_way(app, phone, world):
    key = str(uuid.uuid4())
    refused = send(phone, world, "step", {"step": "repair", "outcome": "done"}, client_uuid=key)
    assert refused.status_code == 409 and refused.get_json()["error"] == "invalid_transition"
    again = send(phone, world, "step", {"step": "repair", "outcome": "done"}, client_uuid=key)
    assert (again.status_code, again.get_json()) == (409, refused.get_json())
    with app.app_context():
        command = db.session.execute(db.select(Command).filter_by(client_uuid=key)).scalar_one()
        assert command.outcome == "refused" and command.error["message"] == refused.get_json()["message"]
    assert count(app, VisitStep) == 0


def test_a_refusal_whose_uuid_was_claimed_meanwhile_answers_as_that_claim(app, phone, world, monkeypatch):
    """A refusal is rolled back and its claim made again; a request with the same uuid that claimed it in between
    answers for both: one row, the first answer."""
    from app.commands import services
    key, keep = str(uuid.uuid4()), services.keep_refused

    def claimed_meanwhile(actor, values, refused):
        with app.app_context():  # another request, committed between the rollback and the keeping
            db.session.add(Command(**values))
            db.session.commit()
        return keep(actor, values, refused)

    monkeypatch.setattr(services, "keep_refused", claimed_meanwhile)
    answer = send(phone, world, "step", {"step": "repair", "outcome": "done"}, client_uuid=key)
    assert answer.status_code == 200 and answer.get_json()["replayed"] is True
    with app.app_context():
        command = db.session.execute(db.select(Command).filter_by(client_uuid=key)).scalar_one()
        assert (command.outcome, command.error) == ("applied", None)
    assert count(app, VisitStep) == 0


def test_an_arrival_after_a_reassignment_is_refused_but_kept_for_the_dispatcher(app, client, world):
    from app.auth.models import User

    world.as_(client, "technician")
    for action in ("accept", "depart"):
        send(client, world, "transition", {"action": action})
    with app.app_context():
        dispatch(db.session.get(WorkOrder, world["order"]), db.session.get(User, world["dispatcher"]),
                 db.session.get(User, world["other_technician"]))
        db.session.commit()
    response = send(client, world, "transition", {"action": "arrive"})
    assert response.status_code == 404
    with app.app_context():
        command = db.session.execute(db.select(Command).filter_by(work_order_id=world["order"],
                                                                  outcome="refused")).scalar_one()
        assert command.payload == {"action": "arrive"} and command.user_id == world["technician"]


def test_a_note_after_the_order_was_cancelled_is_refused_and_kept(app, phone, world):
    from app.auth.models import User
    from app.work_orders.services import cancel

    with app.app_context():
        cancel(db.session.get(WorkOrder, world["order"]), db.session.get(User, world["dispatcher"]), "客户撤单")
        db.session.commit()
    response = send(phone, world, "note", {"text": "暖气片后面有裂缝"})
    assert response.status_code == 409 and "已取消" in response.get_json()["message"]
    assert count(app, Command, outcome="refused") == 1


def test_a_bad_payload_is_a_422_naming_the_field_and_is_kept(app, phone, world):
    response = send(phone, world, "reading", {"room": "bedroom", "celsius": "warm"})
    assert response.status_code == 422 and "celsius" in response.get_json()["fields"]["payload"]
    assert count(app, Command, outcome="refused") == 1


def test_a_malformed_envelope_is_a_422_and_nothing_is_kept(app, phone, world):
    response = phone.post("/api/v1/commands", json={"client_uuid": "not-a-uuid", "type": "step",
                                                   "work_order_id": world["order"]})
    assert response.status_code == 422 and "client_uuid" in response.get_json()["fields"]
    assert count(app, Command, outcome="refused") == 0


def test_the_same_command_sent_from_two_tabs_at_once_is_applied_once(app, phone, world):
    key = str(uuid.uuid4())
    cookie = phone.get_cookie("session").value
    token = phone.csrf_token()
    answers = []

    def tab():
        c = app.test_client()
        c.set_cookie("session", cookie)
        answers.append(c.post("/api/v1/commands", headers={"X-CSRFToken": token}, json={
            "client_uuid": key, "type": "step", "work_order_id": world["order"],
            "payload": {"step": "knock", "outcome": "done"}}).status_code)

    tabs = [threading.Thread(target=tab) for _ in range(4)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    assert answers == [200] * 4
    assert count(app, VisitStep) == 1 and count(app, Command, client_uuid=key) == 1


def test_only_technicians_send_commands(client, world):
    world.as_(client, "dispatcher")
    assert send(client, world, "note", {"text": "x"}).status_code == 403


def test_completing_needs_a_finished_visit(app, phone, world):
    refused = send(phone, world, "transition", {"action": "complete"})
    assert refused.status_code == 409 and "入户服务步骤未完成" in refused.get_json()["message"]
    api = phone.post(f"/api/v1/work-orders/{world['order']}/transitions", json={"action": "complete"})
    assert api.status_code == 409


def test_the_bundle_carries_jobs_visits_and_the_checklist_and_is_versioned(app, phone, world):
    send(phone, world, "step", {"step": "knock", "outcome": "done"})
    response = phone.get("/api/v1/me/bundle")
    assert response.status_code == 200
    bundle = response.get_json()
    assert [job["id"] for job in bundle["jobs"]] == [world["order"]]
    assert bundle["jobs"][0]["visit"]["steps"][0]["step"] == "knock"
    repair = next(s for s in bundle["checklist"]["steps"] if s["code"] == "repair")
    assert repair["photos"] == ["before", "after"]
    assert [s["label"] for s in bundle["checklist"]["steps"]][:3] == ["一敲", "一报", "一穿"]
    assert list(bundle["checklist"]["rooms"])[:2] == ["bedroom", "living_room"]  # the order we chose, kept
    etag = response.headers["ETag"]
    assert phone.get("/api/v1/me/bundle", headers={"If-None-Match": etag}).status_code == 304
    send(phone, world, "step", {"step": "introduce", "outcome": "done"})
    assert phone.get("/api/v1/me/bundle", headers={"If-None-Match": etag}).status_code == 200


def test_other_technicians_jobs_are_not_in_the_bundle(app, client, world):
    world.as_(client, "other_technician")
    ids = [job["id"] for job in client.get("/api/v1/me/bundle").get_json()["jobs"]]
    assert ids == [world["other_order"]]


def test_the_desk_sees_what_the_phone_captured_and_the_server_refused(app, phone, world):
    send(phone, world, "step", {"step": "repair", "outcome": "done"})
    world.as_(phone, "dispatcher")
    page = phone.get(f"/work-orders/{world['order']}").get_data(as_text=True)
    assert "手机端提交但被拒绝的记录" in page and "请先完成或跳过" in page


def test_who_may_complete_is_checked_before_whether_the_visit_is_finished(app, phone, world):
    world.as_(phone, "dispatcher")
    response = phone.post(f"/api/v1/work-orders/{world['order']}/transitions", json={"action": "complete"})
    assert response.status_code == 403


def test_an_unknown_command_type_is_refused_by_name_not_signed(ctx, monkeypatch):
    """Each type is chosen by name: one the envelope let through by mistake is an error, never a signing."""
    from app.commands import services
    from app.errors import ValidationFailed
    from app.service_slips import services as slips
    from tests import factories

    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(technician_=tech)
    monkeypatch.setattr(slips, "sign", lambda *args: pytest.fail("an unknown type reached the signing"))
    with pytest.raises(ValidationFailed) as refused:
        services.execute(tech, "teleport", order.id, {}, None)
    assert "type" in refused.value.fields


@pytest.mark.parametrize(("type_", "payload", "words"), [
    ("transition", {"action": "depart"}, "出发"),
    ("step", {"step": "repair", "outcome": "done"}, "一修(维修) · 完成"),
    ("step", {"step": "lay_out", "outcome": "skipped", "reason": "客户不需要"}, "跳过:客户不需要"),
    ("reading", {"room": "bedroom", "celsius": 17.5}, "卧室 17.5 °C"),
    ("note", {"text": "暖气片后面有裂缝", "step": "knock"}, "一敲(敲门):暖气片后面有裂缝"),
])
def test_refused_phone_records_read_in_words_not_json(app, client, world, type_, payload, words):
    """The order was cancelled under the technician: what he sent is listed in words on the order page."""
    from app.auth.models import User
    from app.work_orders.services import cancel

    with app.app_context():
        cancel(db.session.get(WorkOrder, world["order"]), db.session.get(User, world["dispatcher"]), "客户撤单")
        db.session.commit()
    world.as_(client, "technician")
    assert send(client, world, type_, payload).status_code == 409
    page = world.as_(client, "dispatcher").get(f"/work-orders/{world['order']}").get_data(as_text=True)
    assert words in page and "{&#34;" not in page and '{"' not in page


def test_the_same_step_from_a_second_device_is_already_recorded_and_not_listed_as_refused(app, phone, world):
    assert send(phone, world, "step", {"step": "knock", "outcome": "done"}).status_code == 200
    again = send(phone, world, "step", {"step": "knock", "outcome": "done"})  # another tab, another uuid
    assert again.status_code == 409 and again.get_json()["error"] == "already_recorded"
    twice = send(phone, world, "transition", {"action": "arrive"})
    assert twice.status_code == 409 and twice.get_json()["error"] == "already_recorded"
    with app.app_context():
        from app.commands.services import refused_for

        assert refused_for(world["order"]) == []
