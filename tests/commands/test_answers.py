"""A command answers with its order as the command leaves it, read with the lock and kept current by the services
(they append what they add; app/field/services.job_loads): whatever the command, that answer is what a fresh
read of the job says — the phone replaces its job with it."""
import io
import uuid
from datetime import datetime, timezone

import pytest

from app.auth.models import User
from app.branches.models import Area
from app.extensions import db
from tests import factories
from tests.conftest import sign_in
from tests.materials.conftest import depot  # noqa: F401 (fixture)
from tests.photos.test_photos import jpeg

THE_VISIT = [
    ("transition", {"action": "accept"}), ("transition", {"action": "contact"}),
    ("transition", {"action": "depart"}), ("transition", {"action": "arrive"}), ("note", {"text": "门口有狗"}),
    *[("step", {"step": code, "outcome": "done"}) for code in ("knock", "introduce", "shoe_covers", "tool_mat")],
    ("step", {"step": "lay_out", "outcome": "skipped", "reason": "地面有地毯"}),
    ("step", {"step": "water_catcher", "outcome": "done"}),
    ("reading", {"room": "living_room", "celsius": 17.5}), ("damage", {"description": "碰掉一块墙皮"}),
    ("photo", {"kind": "before"}), ("photo", {"kind": "after"}),
    ("repair", {"fault_location": "company", "resolution": "free", "diagnosis": "滤网堵塞", "result": "已清洗"}),
    ("material", {"code": "WX-001", "quantity_centi": 100}),
    ("step", {"step": "repair", "outcome": "done", "note": "已热"}),
]


@pytest.fixture
def job(app, depot):  # noqa: F811 (the fixture imported above)
    with app.app_context():
        area = db.session.get(Area, depot["area"])
        order = factories.work_order(factories.household(factories.estate(area)), technician_=db.session.get(
            User, depot["tech"]), description="暖气不热")
        db.session.commit()
        return order.id


def fresh(client, order_id):
    (found,) = [job for job in client.get("/api/v1/me/bundle").get_json()["jobs"] if job["id"] == order_id]
    return found


def sent(client, ids, order_id, type_, payload):
    if type_ == "photo":
        return client.post("/api/v1/photos", content_type="multipart/form-data", data={
            "client_uuid": str(uuid.uuid4()), "work_order_id": str(order_id), "step": "repair",
            "kind": payload["kind"], "file": (io.BytesIO(jpeg(640, 480)), "photo.jpg")})
    if type_ == "material":
        payload = {"material_id": ids["materials"][payload["code"]], "quantity_centi": payload["quantity_centi"]}
    return client.post("/api/v1/commands", json={
        "client_uuid": str(uuid.uuid4()), "type": type_, "work_order_id": order_id, "payload": payload,
        "device_time": datetime.now(timezone.utc).isoformat()})


def test_every_command_answers_with_the_job_a_fresh_read_gives(app, client, depot, job):  # noqa: F811
    with app.app_context():
        sign_in(client, db.session.get(User, depot["tech"]))
    for type_, payload in THE_VISIT:
        response = sent(client, depot, job, type_, payload)
        assert response.status_code == 200, (type_, payload, response.get_json())
        assert response.get_json()["work_order"] == fresh(client, job), (type_, payload)
    visit = fresh(client, job)["visit"]
    assert [len(visit[part]) for part in ("steps", "notes", "readings", "damages", "photos", "materials")] == [
        7, 1, 1, 1, 2, 1]
    assert visit["repair"]["diagnosis"] == "滤网堵塞"
