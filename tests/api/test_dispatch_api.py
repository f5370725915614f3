"""Dispatch through the API, as the desk's intake and a 12345 integration use it."""
from app.auth.models import User
from app.extensions import db
from app.households.models import Household
from tests import factories


def test_the_proposal_is_the_areas_least_loaded_technician_and_an_order_can_be_dispatched_at_once(app, client,
                                                                                                    world):
    with app.app_context():
        factories.work_order(db.session.get(Household, world["household"]),
                             technician_=db.session.get(User, world["technician"]))
        db.session.commit()
    c = world.as_(client, "dispatcher")
    proposal = c.get(f"/api/v1/dispatch/proposal?household_id={world['household']}").get_json()
    assert proposal["proposed"]["id"] == world["other_technician"]  # one open order against two
    assert [(x["technician"]["id"], x["open_load"]) for x in proposal["candidates"]] == [
        (world["other_technician"], 1), (world["technician"], 2)]
    created = c.post("/api/v1/work-orders", json={
        "household_id": world["household"], "channel": "hotline", "category": "urgent_leak",
        "description": "暖气片跑水", "technician_id": proposal["proposed"]["id"]})
    assert created.status_code == 201
    body = created.get_json()
    assert (body["status"], body["technician"]["id"], body["urgent"]) == ("dispatched", world["other_technician"], True)
    assert [h["action"] for h in body["history"]] == ["open", "dispatch"]
