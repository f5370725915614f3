"""Bad input gets {error, message, fields} and changes nothing; illegal transitions are 409."""
import pytest

from app.extensions import db
from app.work_orders.models import WorkOrder


def count_orders(app):
    with app.app_context():
        return db.session.query(WorkOrder).count()


@pytest.mark.parametrize(("body", "field"), [
    ({"channel": "hotline", "category": "repair"}, "description"),
    ({"channel": "fax", "category": "repair", "description": "x"}, "channel"),
    ({"channel": "hotline", "category": "miracle", "description": "x"}, "category"),
    ({"channel": "hotline", "category": "repair", "description": "x", "appointment_at": "tomorrow"}, "appointment_at"),
])
def test_bad_work_order_input_is_a_422_naming_the_field_and_creates_nothing(app, client, world, body, field):
    before = count_orders(app)
    body = {"household_id": world["household"], **body}
    response = world.as_(client, "dispatcher").post("/api/v1/work-orders", json=body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["error"] == "validation_failed" and payload["message"]
    assert field in payload["fields"]
    assert count_orders(app) == before


def test_an_unknown_account_number_is_a_409_naming_the_field(app, client, world):
    """Well-formed, refused for what is stored: 409 rule_broken (422 is for what the document rules out)."""
    response = world.as_(client, "dispatcher").post("/api/v1/work-orders", json={
        "account_number": "9999", "channel": "hotline", "category": "repair", "description": "不热"})
    assert response.status_code == 409 and response.get_json()["error"] == "rule_broken"
    assert "account_number" in response.get_json()["fields"]


def test_a_rule_broken_after_parsing_changes_nothing(app, client, world):
    """The order would be valid but the technician is not one: the whole request is undone."""
    before = count_orders(app)
    response = world.as_(client, "dispatcher").post("/api/v1/work-orders", json={
        "household_id": world["household"], "channel": "hotline", "category": "repair",
        "description": "不热", "technician_id": world["back_office"]})
    assert response.status_code == 409 and "technician_id" in response.get_json()["fields"]
    assert count_orders(app) == before


def test_an_illegal_transition_is_a_409(client, world):
    response = world.as_(client, "technician").post(
        f"/api/v1/work-orders/{world['order']}/transitions", json={"action": "arrive"})
    assert response.status_code == 409
    assert response.get_json()["error"] == "invalid_transition"
    assert set(response.get_json()) == {"error", "message", "fields"}


def test_an_unknown_action_is_a_422(client, world):
    response = world.as_(client, "technician").post(
        f"/api/v1/work-orders/{world['order']}/transitions", json={"action": "teleport"})
    assert response.status_code == 422 and "action" in response.get_json()["fields"]


def test_a_second_appointment_move_is_a_409_with_a_clear_message(client, world):
    c = world.as_(client, "dispatcher")
    url = f"/api/v1/work-orders/{world['order']}/appointment"
    for day in ("2099-01-05T10:00:00+08:00", "2099-01-06T10:00:00+08:00"):
        assert c.put(url, json={"appointment_at": day}).status_code == 200
    refused = c.put(url, json={"appointment_at": "2099-01-07T10:00:00+08:00"})
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "appointment_move_limit"
    assert c.get(f"/api/v1/work-orders/{world['order']}").get_json()["appointment_at"].startswith("2099-01-06T02:00")


def test_a_night_appointment_without_the_tick_is_a_409_naming_the_tick(client, world):
    response = world.as_(client, "dispatcher").put(
        f"/api/v1/work-orders/{world['order']}/appointment", json={"appointment_at": "2099-01-05T22:00:00+08:00"})
    assert response.status_code == 409 and response.get_json()["error"] == "rule_broken"
    assert "customer_asked_night" in response.get_json()["fields"]


def test_a_naive_time_is_read_as_beijing_time(client, world):
    response = world.as_(client, "dispatcher").put(
        f"/api/v1/work-orders/{world['order']}/appointment", json={"appointment_at": "2099-01-05T10:00"})
    assert response.get_json()["appointment_at"] == "2099-01-05T02:00:00+00:00"


def test_unknown_pages_under_the_api_answer_in_json(client, world):
    response = world.as_(client, "dispatcher").get("/api/v1/work-orders/999999")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_the_api_is_described_by_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/work-orders", "/api/v1/work-orders/{order_id}/transitions",
                 "/api/v1/work-orders/{order_id}/assignment", "/api/v1/me/jobs", "/api/v1/households",
                 "/api/v1/me/bundle", "/api/v1/commands", "/api/v1/photos", "/api/v1/photos/{photo_id}"):
        assert path in spec["paths"], path
    assert "bearer" in spec["components"]["securitySchemes"]


def test_a_405_says_which_methods_are_allowed(client, world):
    answer = world.as_(client, "dispatcher").delete("/api/v1/work-orders")
    assert answer.status_code == 405 and answer.get_json()["error"] == "method_not_allowed"
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_the_document_describes_the_one_error_body_and_jpeg_photos(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    error = spec["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == set(error["required"]) == {"error", "message", "fields"}
    default = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]["schema"]
    assert default == {"$ref": "#/components/schemas/ErrorOut"}
    photo = spec["paths"]["/api/v1/photos/{photo_id}"]["get"]["responses"]["200"]["content"]
    assert list(photo) == ["image/jpeg"]


def test_the_document_says_a_cancel_needs_a_reason(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    cancel = next(rule for rule in spec["components"]["schemas"]["TransitionIn"]["oneOf"]
                  if rule["properties"]["action"]["enum"] == ["cancel"])
    assert cancel["required"] == ["action", "reason"] and cancel["properties"]["reason"]["minLength"] == 1
