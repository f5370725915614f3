"""The visit (十个一): steps in order, skips need a reason, photos where the policy asks, records once."""
import pytest

from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.visits import checklist
from app.visits import services as visits
from app.visits.models import VisitStep
from app.work_orders.services import perform
from tests import factories
from tests.conftest import beijing


@pytest.fixture
def on_site(ctx):
    visits.ensure_default_photo_rules()
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), technician_=tech)
    factories.advance(order, tech, "accept", "depart", "arrive")
    return order, tech


def add_photo(order, tech, step, kind):
    from app.photos.models import Photo

    visit = visits.visit_in_progress(order, tech)
    photo = Photo(client_uuid=f"{step}-{kind}", work_order_id=order.id, visit=visit, step=step, kind=kind,
                  storage_key="x", thumbnail_key="y", sha256="0" * 64, width=1, height=1, size_bytes=1,
                  taken_at=order.arrived_at, uploaded_by_id=tech.id)
    visits.db.session.add(photo)
    visits.db.session.flush()


def walk_to(order, tech, stop_before):
    for code in checklist.STEP_CODES[: checklist.STEP_CODES.index(stop_before)]:
        visits.record_step(order, tech, code, "done")


def test_the_checklist_has_the_nine_on_site_steps_in_order():
    labels = [s.label for s in checklist.STEPS]
    assert labels == ["一敲", "一报", "一穿", "一铺", "一摆", "一接", "一修", "一清", "一别"]


def test_steps_are_recorded_in_order_each_stamped(on_site):
    order, tech = on_site
    visits.record_step(order, tech, "knock", "done")
    with pytest.raises(InvalidTransition, match="自我介绍"):
        visits.record_step(order, tech, "shoe_covers", "done")
    visit = visits.record_step(order, tech, "introduce", "done", note="客户不在,家人开门")
    assert [(s.step, s.outcome) for s in visit.steps] == [("knock", "done"), ("introduce", "done")]
    assert all(s.at is not None and s.recorded_at is not None for s in visit.steps)


def test_skipping_a_step_needs_a_reason_which_is_kept(on_site):
    order, tech = on_site
    visits.record_step(order, tech, "knock", "done")
    visits.record_step(order, tech, "introduce", "done")
    with pytest.raises(ValidationFailed) as refused:
        visits.record_step(order, tech, "shoe_covers", "skipped")
    assert "reason" in refused.value.fields
    visit = visits.record_step(order, tech, "shoe_covers", "skipped", reason="客户说不用穿鞋套")
    assert visit.steps[-1].reason == "客户说不用穿鞋套"


def test_a_step_is_recorded_once(on_site):
    order, tech = on_site
    visits.record_step(order, tech, "knock", "done")
    with pytest.raises(Conflict):
        visits.record_step(order, tech, "knock", "done")


def test_repair_needs_its_before_and_after_photos(on_site):
    order, tech = on_site
    walk_to(order, tech, "repair")
    with pytest.raises(Conflict) as refused:
        visits.record_step(order, tech, "repair", "done")
    assert refused.value.code == "photos_missing" and refused.value.fields == {"photos": ["before", "after"]}
    add_photo(order, tech, "repair", "before")
    add_photo(order, tech, "repair", "after")
    visits.record_step(order, tech, "repair", "done")
    with pytest.raises(Conflict, match="修后"):
        visits.record_step(order, tech, "clean_up", "done")


def test_the_last_step_finishes_the_visit_and_allows_completion(on_site):
    order, tech = on_site
    walk_to(order, tech, "repair")
    for step in ("repair", "clean_up"):
        visits.record_step(order, tech, step, "skipped", reason="客户拒绝拍照")
    with pytest.raises(InvalidTransition):
        visits.require_finished_visit(order)
    visit = visits.record_step(order, tech, "goodbye", "done")
    assert visit.finished_at is not None
    visits.require_finished_visit(order)
    perform(order, "complete", tech)
    assert order.status == "done"


def test_nothing_is_recorded_before_arriving_or_by_another_technician(ctx):
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), technician_=tech)
    with pytest.raises(InvalidTransition):
        visits.record_step(order, tech, "knock", "done")
    factories.advance(order, tech, "accept", "depart", "arrive")
    with pytest.raises(NotFound):
        visits.record_step(order, factories.technician(area), "knock", "done")
    assert visits.db.session.query(VisitStep).count() == 0


def test_fault_on_the_company_side_is_repaired_free(on_site):
    order, tech = on_site
    with pytest.raises(ValidationFailed) as refused:
        visits.record_repair(order, tech, "company", "paid", "入户阀门损坏", "已更换")
    assert "resolution" in refused.value.fields
    visit = visits.record_repair(order, tech, "company", "free", "入户阀门损坏", "已更换阀芯")
    assert visit.repair.resolution == "free"


def test_fault_inside_the_flat_is_paid_service_or_free_advice(on_site):
    order, tech = on_site
    visit = visits.record_repair(order, tech, "customer", "advice", "暖气片跑风阀堵塞", "指导客户自行放气")
    assert visit.repair.fault_location == "customer"
    with pytest.raises(Conflict):
        visits.record_repair(order, tech, "customer", "paid", "再记一次", "不行")


def test_a_room_below_18_degrees_in_the_day_is_flagged(on_site):
    order, tech = on_site
    visits.add_reading(order, tech, "bedroom", 17.9, device_time=beijing(2026, 12, 4, 10))
    visit = visits.add_reading(order, tech, "living_room", 18.0, device_time=beijing(2026, 12, 4, 10, 5))
    assert [(r.room, r.tenths, r.below_standard) for r in visit.readings] == [
        ("bedroom", 179, True), ("living_room", 180, False)]


def test_damage_by_the_customer_is_recorded_for_their_signature(on_site):
    order, tech = on_site
    visit = visits.record_damage(order, tech, "客户自行拆卸暖气片导致接口损坏")
    assert visit.damages[0].description.startswith("客户自行拆卸")


def test_which_steps_need_photos_is_a_setting_the_admin_changes(app, client, world):
    from app.auth.models import User
    from tests.conftest import sign_in

    with app.app_context():
        sign_in(client, visits.db.session.get(User, world["admin"]))
    client.post("/admin/photo-rules", data={"rule": ["repair/before", "goodbye/site"]})
    with app.app_context():
        assert visits.photo_rules() == {"repair": ["before"], "goodbye": ["site"]}
    assert 'value="goodbye/site" checked' in client.get("/admin/photo-rules").get_data(as_text=True)


def test_nothing_is_added_after_goodbye_and_the_visit_stays_complete(on_site):
    order, tech = on_site
    walk_to(order, tech, "repair")
    for step in ("repair", "clean_up"):
        visits.record_step(order, tech, step, "skipped", reason="客户拒绝拍照")
    visits.record_step(order, tech, "goodbye", "done")
    with pytest.raises(Conflict) as refused:
        visits.add_reading(order, tech, "bedroom", 19.0)
    assert refused.value.code == "visit_finished"
    visits.require_finished_visit(order)
