"""The same master data through /api/v1, with the same permissions: admins write; dispatchers read and may
correct a household's contact details; a billing system keeps households in sync by 户号 (an upsert)."""
import pytest

from app.extensions import db
from app.households.models import Household


def test_an_admin_builds_the_organisation_through_the_api(app, client, world):
    admin = world.as_(client, "admin")
    branch = admin.post("/api/v1/branches", json={"name": "城北分公司", "code": "CB", "phone": "022-1"})
    assert branch.status_code == 201
    area = admin.post("/api/v1/areas", json={"branch_id": branch.get_json()["id"], "name": "北站片区"})
    assert area.status_code == 201
    estate = admin.post("/api/v1/estates", json={"area_id": area.get_json()["id"], "name": "北辰花园"})
    assert estate.status_code == 201 and estate.get_json()["area_id"] == area.get_json()["id"]
    taken = admin.post("/api/v1/branches", json={"name": "城北分公司", "code": "CC"})
    assert taken.status_code == 409 and taken.get_json()["error"] == "rule_broken"
    names = [b["name"] for b in world.as_(client, "dispatcher").get("/api/v1/branches").get_json()]
    assert "城北分公司" in names


def test_a_billing_system_upserts_households_by_account_number(app, client, world):
    with app.app_context():
        estate_id = db.session.get(Household, world["household"]).estate_id
    admin = world.as_(client, "admin")
    body = {"name": "钱七", "phone": "13700000007", "estate_id": estate_id, "building": "9", "unit": "1",
            "room": "901", "note": "", "floor_area_centi": 7550}
    created = admin.put("/api/v1/households/by-account/7000001", json=body)
    assert created.status_code == 201
    again = admin.put("/api/v1/households/by-account/7000001", json={**body, "phone": "13700000008"})
    assert again.status_code == 200 and again.get_json()["phone"] == "13700000008"
    with app.app_context():
        household = db.session.execute(db.select(Household).filter_by(account_number="7000001")).scalar_one()
        assert (household.phone, household.floor_area_centi) == ("13700000008", 7550)


def test_a_dispatcher_corrects_a_phone_but_may_not_upsert(app, client, world):
    dispatcher = world.as_(client, "dispatcher")
    patched = dispatcher.patch(f"/api/v1/households/{world['household']}",
                               json={"name": "王秀兰", "phone": "13600000000"})
    assert patched.status_code == 200 and patched.get_json()["phone"] == "13600000000"
    assert dispatcher.put("/api/v1/households/by-account/7000002", json={}).status_code == 403
    assert dispatcher.post("/api/v1/branches", json={"name": "x", "code": "X"}).status_code == 403


def test_an_admin_creates_a_technician_through_the_api_with_a_first_password(app, client, world):
    admin = world.as_(client, "admin")
    answer = admin.post("/api/v1/users", json={"role": "technician", "name": "吴八", "badge_number": "T8008",
                                               "branch_id": None, "area_ids": [world["area"]]})
    assert answer.status_code == 409 and "branch_id" in answer.get_json()["fields"]
    with app.app_context():
        from app.branches.models import Area

        branch_id = db.session.get(Area, world["area"]).branch_id
    answer = admin.post("/api/v1/users", json={"role": "technician", "name": "吴八", "badge_number": "T8008",
                                               "branch_id": branch_id, "area_ids": [world["area"]]})
    body = answer.get_json()
    assert answer.status_code == 201 and body["user"]["username"] == "T8008" and len(body["first_password"]) == 10
    listed = admin.get("/api/v1/users?role=technician").get_json()
    assert "T8008" in [u["username"] for u in listed]


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "technician"])
def test_only_admins_read_or_write_staff(app, client, world, role):
    assert world.as_(client, role).get("/api/v1/users").status_code == 403
