"""Ids are whole numbers both databases hold (1 to 2^31 − 1), checked where they enter: 404 in a path, 422 in a body."""
import uuid

import pytest

from app.commands.models import Command
from app.extensions import db
from app.work_orders.models import WorkOrder

BEYOND_64_BITS = 2**63
BEYOND_32_BITS = 2**31  # PostgreSQL's integer columns end one below this


@pytest.mark.parametrize("big", [BEYOND_64_BITS, BEYOND_32_BITS, 10**30])
@pytest.mark.parametrize(("role", "path"), [
    ("dispatcher", "/api/v1/work-orders/{}"),
    ("dispatcher", "/api/v1/households/{}"),
    ("back_office", "/api/v1/slips/{}"),
    ("back_office", "/api/v1/callbacks/{}"),
    ("admin", "/api/v1/price-list/versions/{}"),
    ("technician", "/api/v1/photos/{}"),
    ("technician", "/api/v1/photos/{}/thumbnail"),
    ("dispatcher", "/work-orders/{}"),
    ("back_office", "/callbacks/{}"),
    ("admin", "/price-list/{}"),
])
def test_an_id_beyond_the_database_in_a_path_is_a_404(client, world, role, path, big):
    answer = world.as_(client, role).get(path.format(big))
    assert answer.status_code == 404


@pytest.mark.parametrize("bad", [str(BEYOND_64_BITS), str(BEYOND_32_BITS), "0", "-1", "1.5", "１", "²"])
def test_a_bad_household_id_in_a_query_is_a_422(client, world, bad):
    answer = world.as_(client, "dispatcher").get(f"/api/v1/dispatch/proposal?household_id={bad}")
    assert answer.status_code == 422 and "household_id" in answer.get_json()["fields"]


@pytest.mark.parametrize("field", ["household_id", "technician_id"])
@pytest.mark.parametrize("bad", [BEYOND_64_BITS, BEYOND_32_BITS, 0, -1, 0.5, 21.0, True, "1"])
def test_a_bad_id_in_a_new_order_is_a_422_and_opens_nothing(app, client, world, field, bad):
    body = {"household_id": world["household"], "channel": "hotline", "category": "repair", "description": "漏水",
            field: bad}
    answer = world.as_(client, "dispatcher").post("/api/v1/work-orders", json=body)
    assert answer.status_code == 422 and field in answer.get_json()["fields"]
    with app.app_context():
        assert db.session.query(WorkOrder).count() == 2  # the world's two


@pytest.mark.parametrize("bad", [BEYOND_64_BITS, BEYOND_32_BITS, 0.5, -0.0, 2.589e-42, 1.5, 21.0, 0, False])
def test_a_bad_work_order_id_in_a_command_is_a_422_and_keeps_nothing(app, client, world, bad):
    answer = world.as_(client, "technician").post("/api/v1/commands", json={
        "client_uuid": str(uuid.uuid4()), "type": "transition", "work_order_id": bad, "payload": {"action": "accept"}})
    assert answer.status_code == 422 and "work_order_id" in answer.get_json()["fields"]
    with app.app_context():
        assert db.session.query(Command).count() == 0


def test_a_command_for_an_order_that_does_not_exist_is_a_404_and_kept(app, client, world):
    answer = world.as_(client, "technician").post("/api/v1/commands", json={
        "client_uuid": str(uuid.uuid4()), "type": "transition", "work_order_id": 987654,
        "payload": {"action": "accept"}})
    assert answer.status_code == 404
    with app.app_context():
        command = db.session.execute(db.select(Command)).scalar_one()
        assert command.outcome == "refused" and command.work_order_id is None


@pytest.mark.parametrize("bad", [str(BEYOND_64_BITS), "0.5", "21.0", "-1"])
def test_a_bad_work_order_id_on_a_photo_is_a_422(client, world, bad):
    import io

    answer = world.as_(client, "technician").post("/api/v1/photos", content_type="multipart/form-data", data={
        "client_uuid": str(uuid.uuid4()), "work_order_id": bad, "step": "repair", "kind": "before",
        "file": (io.BytesIO(b"not read"), "p.jpg")})
    assert answer.status_code == 422 and "work_order_id" in answer.get_json()["fields"]


def test_path_ids_are_bounded_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    parameter = next(p for p in spec["paths"]["/api/v1/work-orders/{order_id}"]["parameters"]
                     if p["name"] == "order_id")
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": BEYOND_32_BITS - 1}
