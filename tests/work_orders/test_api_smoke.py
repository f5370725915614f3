from app.extensions import db
from tests import factories
from tests.conftest import sign_in


def test_dispatcher_opens_a_leak_order_that_lands_on_the_area_technician(app, client):
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area)
        household = factories.household(factories.estate(area))
        dispatcher = factories.user("dispatcher")
        factories.work_order()  # ensure policies
        db.session.commit()
        ids = dict(tech=tech.id, household=household.id, dispatcher=dispatcher.id)
        sign_in(client, dispatcher)
    proposal = client.get(f"/api/v1/dispatch/proposal?household_id={ids['household']}")
    assert proposal.status_code == 200, proposal.get_json()
    assert proposal.get_json()["proposed"]["id"] == ids["tech"]
    response = client.post("/api/v1/work-orders", json={
        "household_id": ids["household"], "channel": "hotline", "category": "urgent_leak",
        "description": "暖气片跑水", "technician_id": ids["tech"]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "dispatched"
    assert body["technician"]["id"] == ids["tech"]
