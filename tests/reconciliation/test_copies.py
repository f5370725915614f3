"""Third copies: back at head office within 15 days of the signing day (Beijing), registered once."""
from datetime import timedelta

import pytest

from app.errors import Conflict, NotFound
from app.extensions import db
from app.reconciliation import copies
from app.reconciliation.models import SCAN, TYPED, SlipCopyReturn
from app.service_slips import services as slips
from tests import factories
from tests.conftest import counted_queries
from tests.reconciliation.conftest import beijing, days_ago
from tests.service_slips.conftest import as_user


def _returns():
    return db.session.execute(db.select(SlipCopyReturn)).scalars().all()


def _overdue(**kwargs):
    groups, _ = copies.overdue(**kwargs)
    return [o for _, technicians in groups for _, items in technicians for o in items]


def _overdue_serials(**kwargs):
    return [o.serial for o in _overdue(**kwargs)]


def test_a_copy_is_overdue_from_the_sixteenth_day_after_the_beijing_signing_day(office):
    signed_day = days_ago(40)
    late_evening = office.slip(signed_at=beijing(signed_day, "23:30"))
    # 00:10 in Beijing on the next day is still the previous day in UTC: the Beijing date counts.
    after_midnight = office.slip(signed_at=beijing(signed_day + timedelta(days=1), "00:10"))
    assert _overdue_serials(today=signed_day + timedelta(days=15)) == []
    (item,) = _overdue(today=signed_day + timedelta(days=16))
    assert (item.serial, item.days_overdue, item.due) == (late_evening.serial, 1, signed_day + timedelta(days=15))
    assert _overdue_serials(today=signed_day + timedelta(days=17)) == [late_evening.serial, after_midnight.serial]


def test_overdue_copies_are_listed_per_branch_and_technician_oldest_first(office):
    second_tech = factories.technician(office.area, name="王海涛")
    newer = office.slip(signed_at=beijing(days_ago(20)))
    older = office.slip(signed_at=beijing(days_ago(30)))
    theirs = office.slip(signed_at=beijing(days_ago(25)), tech=second_tech)
    ((branch, technicians),), more = copies.overdue()
    assert not more
    assert branch == "城东分公司"
    assert [(name.split("(")[0], [o.serial for o in items]) for name, items in technicians] == [
        ("张建军", [older.serial, newer.serial]), ("王海涛", [theirs.serial])]
    assert [o.days_overdue for _, items in technicians for o in items] == [15, 5, 10]


def test_returned_and_voided_copies_are_not_overdue(office):
    returned = office.slip(signed_at=beijing(days_ago(30)))
    voided = office.slip(signed_at=beijing(days_ago(30)))
    copies.register(office.back_office, returned, TYPED)
    slips.void(office.back_office, voided, "客户姓名写错")
    assert _overdue_serials() == []
    assert copies.counts() == {"overdue": 0, "waiting": 0}


def test_only_the_longest_overdue_are_listed_and_the_rest_are_said_to_exist(office):
    oldest, older, newest = (office.slip(signed_at=beijing(days_ago(n))) for n in (40, 30, 20))
    assert [o.serial for o in _overdue(limit=2)] == [oldest.serial, older.serial]
    assert copies.overdue(limit=2)[1] and not copies.overdue(limit=3)[1]


def test_the_latest_registrations_are_read_in_one_query(office):
    colleague = factories.technician(office.area)
    for tech in (office.tech, colleague, office.tech):
        copies.register(office.back_office, office.slip(tech=tech), TYPED)
    db.session.expunge_all()
    with counted_queries() as statements:
        shown = [(r.slip.serial, r.slip.branch.name, r.slip.technician.name, r.recorded_by.name)
                 for r in copies.recent()]
    assert len(shown) == 3 and len(statements) == 1


def test_a_typed_serial_is_registered_with_or_without_leading_zeros(office):
    slip = office.slip()
    short = slip.serial.lower().replace("-00000", "-")  # cd-2026-1
    registered = copies.register_typed(office.back_office, f"  {short} ")
    assert (registered.slip_id, registered.how, registered.recorded_by_id) == (slip.id, TYPED, office.back_office.id)


def test_a_scan_gun_reading_the_qr_code_registers_by_token(office):
    slip = office.slip()
    registered = copies.register_typed(office.back_office, f"https://fuwu.example.cn/v/{slip.verify_token}")
    assert (registered.slip_id, registered.how) == (slip.id, SCAN)


def test_registering_twice_is_refused_and_changes_nothing(office):
    slip = office.slip()
    first = copies.register(office.back_office, slip, SCAN)
    with pytest.raises(Conflict) as refused:
        copies.register_typed(office.admin, slip.serial)
    assert refused.value.code == "copy_already_returned" and "已于" in refused.value.message
    assert [(r.id, r.how, r.recorded_by_id) for r in _returns()] == [(first.id, SCAN, office.back_office.id)]


def test_an_unknown_serial_and_a_voided_slip_are_refused(office):
    slip = office.slip()
    with pytest.raises(NotFound):
        copies.register_typed(office.back_office, "CD-1999-000001")
    slips.void(office.back_office, slip, "重复开具")
    with pytest.raises(Conflict) as refused:
        copies.register_typed(office.back_office, slip.serial)
    assert refused.value.code == "slip_voided" and _returns() == []


# ---- over HTTP ----

def _one_slip(office):
    slip = office.slip()
    return {"serial": slip.serial, "token": slip.verify_token, "id": slip.id}


def test_the_desk_registers_a_typed_serial_and_says_which_slip(app, client, committed):
    world = committed(_one_slip)
    as_user(client, world.back_office)
    done = client.post("/reconciliation/copies", data={"serial": world.made["serial"]}, follow_redirects=True)
    assert done.status_code == 200 and f"已登记 {world.made['serial']} 第三联交回" in done.get_data(as_text=True)
    again = client.post("/reconciliation/copies", data={"serial": world.made["serial"]})
    assert again.status_code == 409 and "已于" in again.get_data(as_text=True)
    unknown = client.post("/reconciliation/copies", data={"serial": "CD-1999-000009"})
    assert unknown.status_code == 404 and "没有服务单 CD-1999-000009" in unknown.get_data(as_text=True)
    with app.app_context():
        assert [(r.slip_id, r.how) for r in _returns()] == [(world.made["id"], TYPED)]


def test_the_verification_page_offers_the_back_office_the_button(app, client, committed):
    world = committed(_one_slip)
    page = f"/v/{world.made['token']}"
    as_user(client, world.back_office)
    assert "登记第三联已交回" in client.get(page).get_data(as_text=True)
    answer = client.post(f"/reconciliation/copies/scan/{world.made['token']}")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(page)
    shown = client.get(page).get_data(as_text=True)
    assert "登记成功。" in shown and "已登记交回:" in shown and "登记第三联已交回" not in shown
    twice = client.post(f"/reconciliation/copies/scan/{world.made['token']}", follow_redirects=True)
    assert "未重复登记" in twice.get_data(as_text=True)
    with app.app_context():
        assert [(r.slip_id, r.how) for r in _returns()] == [(world.made["id"], SCAN)]


@pytest.mark.parametrize("who", ["anonymous", "dispatcher", "technician"])
def test_others_see_nothing_of_the_copy_and_cannot_register_it(app, client, committed, who):
    world = committed(_one_slip)
    if who != "anonymous":
        as_user(client, getattr(world, "tech" if who == "technician" else who))
    page = client.get(f"/v/{world.made['token']}").get_data(as_text=True)
    assert "第三联" not in page and "copy-return" not in page
    answer = client.post(f"/reconciliation/copies/scan/{world.made['token']}")
    assert answer.status_code == (302 if who == "anonymous" else 403)
    with app.app_context():
        assert _returns() == []


def test_the_copies_page_lists_the_overdue_with_days(client, committed):
    def make(office):
        return {"serial": office.slip(signed_at=beijing(days_ago(20), "09:00")).serial}

    world = committed(make)
    page = as_user(client, world.back_office).get("/reconciliation/copies").get_data(as_text=True)
    assert "超期未交 1 张" in page and world.made["serial"] in page and "超期 5 天" in page
