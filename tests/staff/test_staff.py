"""The admin's 人员: people created with a first password shown once and replaced at first sign-in, reset,
given another role (in force on their next request), and deactivated with their open orders handed over."""
import re

import pytest

from app.auth import services as auth
from app.auth.models import User
from app.extensions import db
from app.work_orders.models import WorkOrder
from tests import factories
from tests.conftest import sign_in

NEW_TECHNICIAN = {"role": "technician", "name": "周新", "badge_number": "T2001", "phone": "13500001111"}


def first_password(page):
    return re.search(r'id="first-password">([^<]+)<', page).group(1)


def create(world, client, **changes):
    form = {**NEW_TECHNICIAN, "branch_id": str(world_branch(client.application, world)),
            "area_ids": [str(world["area"])], **changes}
    return world.as_(client, "admin").post("/admin/staff", data=form)


def world_branch(app, world):
    with app.app_context():
        return db.session.get(factories.Area, world["area"]).branch_id


def test_a_technician_is_created_with_a_first_password_shown_once_and_signs_in_with_the_badge(app, client, world):
    answer = create(world, client)
    assert answer.status_code == 200
    password = first_password(answer.get_data(as_text=True))
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(badge_number="T2001")).scalar_one()
        assert (user.username, user.role, user.must_change_password) == ("T2001", "technician", True)
        assert [a.id for a in user.areas] == [world["area"]]
        assert auth.authenticate("T2001", password) is not None
    assert password not in world.as_(client, "admin").get("/admin/staff").get_data(as_text=True)


@pytest.mark.parametrize("changes,field", [
    ({"badge_number": ""}, "badge_number"),
    ({"area_ids": []}, "area_ids"),
    ({"branch_id": ""}, "branch_id"),
    ({"name": ""}, "name"),
    ({"phone": "电话"}, "phone"),
])
def test_a_technician_routing_could_never_reach_is_refused_beside_the_field(app, client, world, changes, field):
    answer = create(world, client, **changes)
    assert answer.status_code in (409, 422) and f'id="staff-{field}-error"' in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(name="周新")).first() is None


def test_a_badge_taken_is_refused(app, client, world):
    create(world, client)
    answer = create(world, client, name="另一人")
    assert answer.status_code == 409 and "工号 T2001 已被周新使用" in answer.get_data(as_text=True)


def test_a_first_password_must_be_replaced_before_anything_else(app, client, world):
    password = first_password(create(world, client).get_data(as_text=True))
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(badge_number="T2001")).scalar_one()
        sign_in(client, user)
    assert client.get("/dispatch/board").headers["Location"].endswith("/account/password")
    refused = client.get("/api/v1/me/jobs")
    assert refused.status_code == 403 and refused.get_json()["error"] == "password_change_required"
    assert client.get("/api/v1/session").get_json()["user"]["must_change_password"] is True
    wrong = client.post("/api/v1/me/password", json={"current": "nope", "new": "abcdefgh9", "again": "abcdefgh9"})
    assert wrong.status_code == 409 and "current" in wrong.get_json()["fields"]
    changed = client.post("/api/v1/me/password", json={"current": password, "new": "abcdefgh9", "again": "abcdefgh9"})
    assert changed.status_code == 200 and changed.get_json()["user"]["must_change_password"] is False
    assert client.get("/api/v1/me/jobs").status_code == 200  # the fresh session works at once
    with app.app_context():
        assert auth.authenticate("T2001", "abcdefgh9") is not None and auth.authenticate("T2001", password) is None


@pytest.mark.parametrize("form,field", [
    ({"current": "wrong", "new": "abcdefgh9", "again": "abcdefgh9"}, "current"),
    ({"current": factories.PASSWORD, "new": "short", "again": "short"}, "new"),
    ({"current": factories.PASSWORD, "new": "abcdefgh9", "again": "abcdefgh8"}, "again"),
    ({"current": factories.PASSWORD, "new": factories.PASSWORD, "again": factories.PASSWORD}, "new"),
])
def test_ones_own_password_on_the_desk_is_checked(app, client, world, form, field):
    answer = world.as_(client, "dispatcher").post("/account/password", data=form)
    assert answer.status_code in (409, 422) and f'id="password-{field}-error"' in answer.get_data(as_text=True)


def test_a_reset_ends_every_session_and_asks_for_a_new_password_again(app, client, world):
    technician = world.as_(client, "technician")
    assert technician.get("/api/v1/me/jobs").status_code == 200
    with app.app_context():
        admin = db.session.get(User, world["admin"])
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    answer = admin_client.post(f"/admin/staff/{world['technician']}/password")
    password = first_password(answer.get_data(as_text=True))
    assert technician.get("/api/v1/me/jobs").status_code == 401
    with app.app_context():
        user = db.session.get(User, world["technician"])
        assert user.must_change_password and auth.authenticate(user.username, password) is not None


def test_a_role_change_takes_effect_on_the_next_request(app, client, world):
    dispatcher = world.as_(client, "dispatcher")
    assert dispatcher.get("/dispatch/intake").status_code == 200
    with app.app_context():
        admin = db.session.get(User, world["admin"])
        person = db.session.get(User, world["dispatcher"])
        admin_client = app.test_client()
        sign_in(admin_client, admin)
        form = {"role": "back_office", "name": person.name, "phone": person.phone or ""}
    assert admin_client.post(f"/admin/staff/{world['dispatcher']}", data=form).status_code == 302
    assert dispatcher.get("/dispatch/intake").status_code == 403


def test_deactivating_a_technician_hands_every_open_order_to_a_colleague_first(app, client, world):
    admin = world.as_(client, "admin")
    refused = admin.post(f"/admin/staff/{world['technician']}/deactivate", data={})
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.get(User, world["technician"]).active  # an order was not handed over
    answer = admin.post(f"/admin/staff/{world['technician']}/deactivate",
                        data={"all_to": str(world["other_technician"])})
    assert answer.status_code == 302
    with app.app_context():
        assert not db.session.get(User, world["technician"]).active
        order = db.session.get(WorkOrder, world["order"])
        assert (order.technician_id, order.status) == (world["other_technician"], "dispatched")


def test_a_technician_on_site_is_not_deactivated_until_the_visit_ends(app, client, world):
    with app.app_context():
        tech = db.session.get(User, world["technician"])
        factories.advance(db.session.get(WorkOrder, world["order"]), tech, "accept", "depart", "arrive")
        db.session.commit()
    world.as_(client, "admin").post(f"/admin/staff/{world['technician']}/deactivate",
                                    data={"all_to": str(world["other_technician"])})
    with app.app_context():
        assert db.session.get(User, world["technician"]).active
        assert db.session.get(WorkOrder, world["order"]).technician_id == world["technician"]


def test_the_last_active_admin_is_neither_deactivated_nor_demoted(app, client, world):
    with app.app_context():
        other_admin = factories.user("admin")
        db.session.commit()
        other_id = other_admin.id
    admin = world.as_(client, "admin")
    admin.post(f"/admin/staff/{other_id}/deactivate", data={})  # another admin: allowed
    with app.app_context():
        assert not db.session.get(User, other_id).active
    answer = admin.post(f"/admin/staff/{world['admin']}", data={"role": "dispatcher", "name": "管理员"})
    assert answer.status_code == 409 and "最后一位" in answer.get_data(as_text=True)
    admin.post(f"/admin/staff/{world['admin']}/deactivate", data={})
    with app.app_context():
        assert db.session.get(User, world["admin"]).active and db.session.get(User, world["admin"]).role == "admin"


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "technician"])
def test_nobody_but_an_admin_grants_a_role(app, client, world, role):
    answer = world.as_(client, role).post("/admin/staff", data={**NEW_TECHNICIAN, "role": "admin", "name": "冒充"})
    assert answer.status_code == 403
