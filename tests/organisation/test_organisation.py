"""The admin's 组织架构: branches, areas, estates and who serves them — created, renamed, moved and
deactivated (never deleted), each change audited; orders keep the branch they were opened with."""
import pytest

from app.audit.models import AuditEvent
from app.branches.models import Area, Branch, Estate
from app.dispatch.services import take_call
from app.extensions import db
from app.households.models import Household
from app.work_orders.models import WorkOrder
from tests import factories


def post(world, client, path, data):
    return world.as_(client, "admin").post(path, data=data)


def test_an_admin_builds_a_branch_an_area_and_an_estate_from_the_desk(app, client, world):
    assert post(world, client, "/admin/organisation/branches",
                {"name": "城北分公司", "code": "cb", "phone": "022-26660000"}).status_code == 302
    with app.app_context():
        branch = db.session.execute(db.select(Branch).filter_by(code="CB")).scalar_one()
        branch_id = branch.id
    answer = post(world, client, f"/admin/organisation/branches/{branch_id}/areas", {"name": "北站片区"})
    with app.app_context():
        area = db.session.execute(db.select(Area).filter_by(name="北站片区")).scalar_one()
        assert answer.headers["Location"].endswith(f"/admin/organisation/areas/{area.id}")
        area_id = area.id
    post(world, client, f"/admin/organisation/areas/{area_id}/estates", {"name": "北辰花园"})
    with app.app_context():
        estate = db.session.execute(db.select(Estate).filter_by(name="北辰花园")).scalar_one()
        assert estate.area_id == area_id and estate.active
        actions = {(e.entity, e.action) for e in db.session.execute(db.select(AuditEvent)).scalars()}
        assert {("branch", "create"), ("area", "create"), ("estate", "create")} <= actions
    page = world.as_(client, "admin").get("/admin/organisation").get_data(as_text=True)
    assert "城北分公司" in page and "北站片区" in page


@pytest.mark.parametrize("form,field", [
    ({"name": "", "code": "CB"}, "name"),
    ({"name": "城北分公司", "code": "城北"}, "code"),
    ({"name": "城北分公司", "code": "CB", "phone": "电话\u202e"}, "phone"),
])
def test_a_branch_typed_wrong_is_refused_beside_its_field(app, client, world, form, field):
    answer = post(world, client, "/admin/organisation/branches", form)
    assert answer.status_code == 422 and f'id="branch-{field}-error"' in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Branch).filter_by(name="城北分公司")).first() is None


def test_a_name_or_code_taken_is_refused(app, client, world):
    with app.app_context():
        taken = db.session.get(Area, world["area"]).branch
        name, code = taken.name, taken.code
    answer = post(world, client, "/admin/organisation/branches", {"name": name, "code": "ZZ"})
    assert answer.status_code == 409
    answer = post(world, client, "/admin/organisation/branches", {"name": "新分公司", "code": code})
    assert answer.status_code == 409


def test_moving_an_estate_routes_new_orders_by_its_new_area_and_leaves_open_ones(app, client, world):
    with app.app_context():
        household = db.session.get(Household, world["household"])
        estate_id, old_area_id = household.estate_id, household.estate.area_id
        new_branch = factories.branch(code="CX", name="城西分公司")
        new_area = factories.area(new_branch, name="西站片区")
        db.session.commit()
        new_area_id, new_branch_id = new_area.id, new_branch.id
    answer = post(world, client, f"/admin/organisation/estates/{estate_id}/move", {"area_id": new_area_id})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(WorkOrder, world["order"]).area_id == old_area_id  # open orders keep theirs
        dispatcher = db.session.get(factories.User, world["dispatcher"])
        order = take_call(dispatcher, db.session.get(Household, world["household"]),
                          {"channel": "hotline", "category": "repair", "description": "暖气不热"})
        assert (order.area_id, order.branch_id) == (new_area_id, new_branch_id)
        move = db.session.execute(db.select(AuditEvent).filter_by(entity="estate", action="move")).scalar_one()
        assert move.data["from_area_id"] == old_area_id and move.data["to_area_id"] == new_area_id


def test_an_area_is_deactivated_only_once_its_estates_are(app, client, world):
    with app.app_context():
        estate_id = db.session.get(Household, world["household"]).estate_id
    answer = post(world, client, f"/admin/organisation/area/{world['area']}/active", {"active": "0"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Area, world["area"]).active  # refused: it still has an estate in use
    post(world, client, f"/admin/organisation/estate/{estate_id}/active", {"active": "0"})
    post(world, client, f"/admin/organisation/area/{world['area']}/active", {"active": "0"})
    with app.app_context():
        assert not db.session.get(Estate, estate_id).active and not db.session.get(Area, world["area"]).active
        assert db.session.get(WorkOrder, world["order"]) is not None  # nothing deleted


def test_an_areas_technicians_are_the_branchs_own(app, client, world):
    with app.app_context():
        stranger = factories.technician(factories.area(factories.branch()))
        db.session.commit()
        stranger_id = stranger.id
    path = f"/admin/organisation/areas/{world['area']}/technicians"
    post(world, client, path, {"technician_id": [str(world["technician"]), str(stranger_id)]})
    with app.app_context():
        assert {u.id for u in db.session.get(Area, world["area"]).technicians} == {world["technician"],
                                                                                  world["other_technician"]}
    post(world, client, path, {"technician_id": [str(world["other_technician"])]})
    with app.app_context():
        assert [u.id for u in db.session.get(Area, world["area"]).technicians] == [world["other_technician"]]


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "technician"])
def test_only_an_admin_changes_the_organisation(app, client, world, role):
    answer = world.as_(client, role).post("/admin/organisation/branches", data={"name": "城北分公司", "code": "CB"})
    assert answer.status_code == 403


def test_a_branch_with_signed_slips_keeps_its_code(app, client, world):
    from app.service_slips import services as slips
    from app.visits import services as visits
    from tests.service_slips.conftest import choices, on_site_with_repair, signed_as_phone

    with app.app_context():
        visits.ensure_default_photo_rules()
        area = db.session.get(Area, world["area"])
        order, tech = on_site_with_repair(area, category="repair", fault_location="company", resolution="free")
        slips.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
        branch = area.branch
        form = {"name": branch.name, "code": "ZZ", "phone": branch.phone}
        branch_id, code = branch.id, branch.code
        db.session.commit()
    post(world, client, f"/admin/organisation/branches/{branch_id}", form)
    with app.app_context():
        assert db.session.get(Branch, branch_id).code == code
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert "代码不能再改" in page
