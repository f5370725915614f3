"""The room temperature standard (000 七): 18 °C from 06:00 to 21:00, never below 16 °C otherwise — a company
setting; each reading keeps the minimum of the time it was measured; 测温 orders (000 八) cannot finish without
readings the customer signed."""
import pytest

from app.errors import Conflict, ValidationFailed
from app.service_slips import services as slips
from app.temperature import standard
from app.visits import services as visits
from tests import factories
from tests.conftest import beijing
from tests.service_slips.conftest import choices, on_site_with_repair, signed_as_phone


@pytest.fixture
def visit(ctx):
    visits.ensure_default_photo_rules()
    area = factories.area(factories.branch(code="CD", name="城东分公司"))
    order, tech = on_site_with_repair(area, category="repair", fault_location="company", resolution="free")
    return order, tech


def reading_at(order, tech, celsius, moment):
    return visits.add_reading(order, tech, "bedroom", celsius, device_time=moment).readings[-1]


@pytest.mark.parametrize("hour,minute,celsius,minimum,low", [
    (6, 0, 17.9, 180, True),     # the day starts at 06:00
    (5, 59, 17.9, 160, False),   # before it, 16 °C
    (14, 0, 18.0, 180, False),
    (20, 59, 17.5, 180, True),
    (21, 0, 17.5, 160, False),   # the day ends at 21:00
    (23, 30, 15.9, 160, True),
])
def test_a_reading_is_judged_by_the_standard_at_the_local_time_it_was_measured(visit, hour, minute, celsius,
                                                                                minimum, low):
    order, tech = visit
    reading = reading_at(order, tech, celsius, beijing(2026, 12, 4, hour, minute))
    assert (reading.minimum_tenths, reading.below_standard) == (minimum, low)


def test_the_phones_clock_is_kept_as_measured_while_at_stays_within_the_orders_life(visit):
    order, tech = visit
    early = beijing(2020, 1, 1, 10)  # a phone whose clock is years behind
    reading = reading_at(order, tech, 18.2, early)
    assert reading.measured_at == early and reading.at >= order.created_at


def test_a_changed_standard_judges_new_readings_and_leaves_old_ones_as_measured(visit):
    order, tech = visit
    admin = factories.user("admin")
    before = reading_at(order, tech, 19.0, beijing(2026, 12, 4, 10))
    standard.set_standard(admin, 7 * 60, 22 * 60, 200, 170)
    after = reading_at(order, tech, 19.0, beijing(2026, 12, 4, 10))
    night = reading_at(order, tech, 16.9, beijing(2026, 12, 4, 6, 30))
    assert (before.minimum_tenths, before.below_standard) == (180, False)
    assert (after.minimum_tenths, after.below_standard) == (200, True)
    assert (night.minimum_tenths, night.below_standard) == (170, True)
    assert standard.current().describe() == "07:00–22:00 不低于 20 °C,其他时间不低于 17 °C"


@pytest.mark.parametrize("day_starts,day_ends,day_min,night_min,field", [
    (21 * 60, 6 * 60, 180, 160, "day_ends"),
    (6 * 60, 21 * 60, 180, 190, "night_min"),
    (6 * 60, 21 * 60, 350, 160, "day_min"),
    (6 * 60, 21 * 60, 180, 50, "night_min"),
])
def test_a_standard_that_cannot_be_is_refused_and_nothing_changes(ctx, day_starts, day_ends, day_min, night_min,
                                                                 field):
    with pytest.raises(ValidationFailed) as refused:
        standard.set_standard(factories.user("admin"), day_starts, day_ends, day_min, night_min)
    assert field in refused.value.fields
    assert standard.current() == standard.DEFAULT


def test_no_reading_is_taken_once_the_slip_is_signed_and_one_may_be_after_a_void(visit):
    order, tech = visit
    reading_at(order, tech, 17.0, beijing(2026, 12, 4, 10))
    slip = slips.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
    with pytest.raises(Conflict) as refused:
        reading_at(order, tech, 18.5, beijing(2026, 12, 4, 10, 5))
    assert refused.value.code == "slip_frozen"
    slips.void(factories.user("back_office"), slip, "补测客厅")
    assert reading_at(order, tech, 18.5, beijing(2026, 12, 4, 10, 5)).tenths == 185


# ---- 测温 orders ----

@pytest.fixture
def measuring(ctx):
    visits.ensure_default_photo_rules()
    visits.set_photo_rules(factories.user("admin"), set())
    area = factories.area(factories.branch(code="CD", name="城东分公司"))
    order, tech = on_site_with_repair(area, category="temperature_check", fault_location="company",
                                      resolution="free")
    for step in ("knock", "introduce", "shoe_covers", "tool_mat", "lay_out", "water_catcher"):
        visits.record_step(order, tech, step, "done")
    return order, tech


def test_a_temperature_checks_repair_step_cannot_be_skipped(measuring):
    order, tech = measuring
    with pytest.raises(Conflict) as refused:
        visits.record_step(order, tech, "repair", "skipped", reason="客户不需要")
    assert refused.value.code == "readings_required"


def test_a_temperature_checks_repair_step_waits_for_a_reading(measuring):
    order, tech = measuring
    with pytest.raises(Conflict) as refused:
        visits.record_step(order, tech, "repair", "done")
    assert refused.value.code == "readings_required" and refused.value.fields == {"missing": ["readings"]}
    reading_at(order, tech, 17.2, beijing(2026, 12, 4, 10))
    visits.record_step(order, tech, "repair", "done")


def test_a_temperature_check_says_goodbye_only_after_the_customer_signed_the_readings(measuring):
    order, tech = measuring
    reading_at(order, tech, 17.2, beijing(2026, 12, 4, 10))
    visits.record_step(order, tech, "repair", "done")
    visits.record_step(order, tech, "clean_up", "done")
    with pytest.raises(Conflict) as refused:
        visits.record_step(order, tech, "goodbye", "done")
    assert refused.value.code == "slip_missing"
    slips.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
    assert visits.record_step(order, tech, "goodbye", "done").finished_at is not None


def test_other_orders_may_still_skip_the_repair_step(visit):
    order, tech = visit
    for step in ("knock", "introduce", "shoe_covers", "tool_mat", "lay_out", "water_catcher"):
        visits.record_step(order, tech, step, "done")
    visits.record_step(order, tech, "repair", "skipped", reason="本次维修不涉及")


# ---- the admin's page ----

@pytest.fixture
def admin_client(app, client):
    from app.extensions import db
    from tests.service_slips.conftest import as_user

    with app.app_context():
        admin = factories.user("admin")
        db.session.commit()
        admin_id = admin.id
    return as_user(client, admin_id)


def test_the_admin_sets_the_standard_in_hours_and_degrees(app, admin_client):
    answer = admin_client.post("/admin/room-standard", data={"day_starts": "07:00", "day_ends": "22:30",
                                                             "day_min": "18.5", "night_min": "16"})
    assert answer.status_code == 302
    with app.app_context():
        assert standard.current() == standard.Standard(420, 1350, 185, 160)
    page = admin_client.get("/admin/room-standard").get_data(as_text=True)
    assert "07:00–22:30 不低于 18.5 °C,其他时间不低于 16 °C" in page


@pytest.mark.parametrize("form,field", [
    ({"day_starts": "6点", "day_ends": "21:00", "day_min": "18", "night_min": "16"}, "day_starts"),
    ({"day_starts": "06:00", "day_ends": "25:00", "day_min": "18", "night_min": "16"}, "day_ends"),
    ({"day_starts": "06:00", "day_ends": "21:00", "day_min": "十八", "night_min": "16"}, "day_min"),
    ({"day_starts": "21:00", "day_ends": "06:00", "day_min": "18", "night_min": "16"}, "day_ends"),
    ({"day_starts": "06:00", "day_ends": "21:00", "day_min": "16", "night_min": "18"}, "night_min"),
])
def test_a_standard_typed_wrong_is_shown_beside_its_field_and_not_saved(app, admin_client, form, field):
    answer = admin_client.post("/admin/room-standard", data=form)
    assert answer.status_code == 422
    assert f'id="{field}-error"' in answer.get_data(as_text=True)
    with app.app_context():
        assert standard.current() == standard.DEFAULT


@pytest.mark.parametrize("readings,meets", [
    ([], True),
    ([("bedroom", True)], False),
    ([("bedroom", True), ("bedroom", False)], True),   # bled, measured again: it meets
    ([("bedroom", False), ("bedroom", True)], False),  # the last reading decides, either way
    ([("bedroom", True), ("bedroom", False), ("living_room", True)], False),
])
def test_a_flat_meets_the_standard_when_each_rooms_last_reading_does(readings, meets):
    assert standard.flat_meets(readings) is meets
