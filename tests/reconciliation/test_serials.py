"""The serial register: every number of a branch's year is accounted for, and a missing one is an alarm."""
from sqlalchemy import text

from app.extensions import db
from app.reconciliation import register
from app.service_slips import services as slips
from app.service_slips.serials import counter_name
from tests.service_slips.conftest import as_user


def _year(slip):
    return int(slip.serial.split("-")[1])


def _delete_slip_row(slip):
    """What the register must catch: a slip row removed behind the application's back."""
    db.session.execute(text("DELETE FROM slip_signatures WHERE slip_id = :id"), {"id": slip.id})
    db.session.execute(text("DELETE FROM service_slips WHERE id = :id"), {"id": slip.id})
    db.session.expire_all()


def test_a_complete_register_has_no_gaps(office):
    made = [office.slip() for _ in range(3)]
    result = register.summary(office.branch, _year(made[0]))
    assert (result.counter, result.highest, result.signed, result.voided, result.gaps) == (3, 3, 3, 0, [])
    rows = register.page(result, 1)
    assert [row.serial for row in rows] == [s.serial for s in made]


def test_a_deleted_slip_row_is_a_gap_in_the_register(office):
    made = [office.slip() for _ in range(5)]
    _delete_slip_row(made[1])
    _delete_slip_row(made[2])
    result = register.summary(office.branch, _year(made[0]))
    assert [(gap.first, gap.last) for gap in result.gaps] == [(2, 3)] and result.missing == 2
    rows = register.page(result, 1)
    assert [getattr(row, "missing", False) for row in rows] == [False, True, True, False, False]


def test_the_first_number_missing_is_a_gap(office):
    made = [office.slip() for _ in range(2)]
    _delete_slip_row(made[0])
    assert [(g.first, g.last) for g in register.summary(office.branch, _year(made[1])).gaps] == [(1, 1)]


def test_numbers_above_the_highest_slip_up_to_the_counter_are_a_gap(office):
    slip = office.slip()
    db.session.execute(text("UPDATE counters SET value = value + 2 WHERE name = :name"),
                       {"name": counter_name("CD", _year(slip))})
    result = register.summary(office.branch, _year(slip))
    assert (result.counter, result.highest) == (3, 1)
    assert [(g.first, g.last) for g in result.gaps] == [(2, 3)]
    assert [row.serial for row in register.page(result, 1)] == [slip.serial, result.serial(2), result.serial(3)]


def test_a_voided_number_stays_in_the_register_with_reason_who_when_and_its_replacement(office):
    first = office.slip()
    slips.void(office.back_office, first, "数量录错,需重新开具")
    second = office.slip(order=first.work_order, replaces=first.serial)
    result = register.summary(office.branch, _year(first))
    assert (result.signed, result.voided, result.gaps) == (1, 1, [])
    voided, replacement = register.page(result, 1)
    assert (voided.serial, voided.status, voided.void_reason, voided.voided_by) == (
        first.serial, "voided", "数量录错,需重新开具", "陈静")
    assert voided.voided_at is not None and voided.replaced_by == second.serial
    assert replacement.status == "signed" and replacement.replaced_by is None


def test_the_years_are_the_counters_of_the_branch(office):
    slip = office.slip()
    db.session.execute(text("INSERT INTO counters (name, value) VALUES (:name, 7)"),
                       {"name": counter_name("CD", 2019)})
    assert register.years_of(office.branch) == [_year(slip), 2019]
    assert register.summary(office.branch, 2019).gaps[0].size == 7  # numbers issued, no slip at all


def test_the_register_page_puts_the_gap_alarm_on_top(client, committed):
    def make(office):
        made = [office.slip() for _ in range(3)]
        missing, year = made[1].serial, _year(made[0])
        _delete_slip_row(made[1])
        return {"missing": missing, "year": year}

    world = committed(make)
    answer = as_user(client, world.back_office).get(f"/reconciliation/serials?branch=CD&year={world.made['year']}")
    page = answer.get_data(as_text=True)
    alarm = page.index('class="recon-alarm"')
    assert alarm < page.index("<table") and "缺号 1 个" in page and world.made["missing"] in page[alarm:]


def test_last_years_gap_stays_on_the_overview_after_new_year(client, committed):
    def make(office):
        year = _year(office.slip())
        db.session.execute(text("INSERT INTO counters (name, value) VALUES (:name, 3)"),
                           {"name": counter_name("CD", year - 1)})  # three numbers issued in December, no slip
        db.session.execute(text("INSERT INTO counters (name, value) VALUES (:name, 0)"),
                           {"name": counter_name("CD", year - 2)})
        return year

    world = committed(make)
    page = as_user(client, world.back_office).get("/reconciliation").get_data(as_text=True)
    last_year = world.made - 1
    assert f"year={last_year}" in page and f"城东分公司 {last_year} 年" in page and "缺 3 个" in page
    assert f"year={world.made}" in page and "✓ 无缺号" in page


def test_a_complete_last_year_adds_nothing_to_the_alarms(office):
    year = _year(office.slip())
    db.session.execute(text("INSERT INTO counters (name, value) VALUES (:name, 0)"),
                       {"name": counter_name("CD", year - 1)})
    assert [(r.branch.code, r.year) for r in register.alarms(year)] == [("CD", year)]
