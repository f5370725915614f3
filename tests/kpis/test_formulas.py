"""Each KPI of 001 八 against a month worked out on paper (docs/kpis.md gives the definitions)."""
from datetime import timedelta

from sqlalchemy import func, select

from app.dispatch.services import dispatch
from app.extensions import db
from app.kpis import live, services
from app.kpis.measures import BY_CODE, Figure
from app.work_orders import services as orders
from app.work_orders.models import WorkOrder
from tests.conftest import beijing
from tests.kpis.conftest import NOVEMBER, answer, complete, place, snapshot

NOV_3 = beijing(2026, 11, 3, 9, 0)


def _figures(branch=None):
    return services.month_report(NOVEMBER, branch.id if branch else None).scope.figures


def test_repair_timeliness_counts_finished_repairs_and_leaks_timely_only_when_every_clock_was_met(company):
    on_time = complete(company.order(company.zhang), company.zhang)
    place(on_time, NOV_3, contacted_at=10, arrived_at=90, done_at=300)  # 30 min, 2 h, 24 h: all met
    late_arrival = complete(company.order(company.zhang), company.zhang)
    place(late_arrival, NOV_3, contacted_at=10, arrived_at=130, done_at=200)  # on site 10 min late
    late_fix = complete(company.order(company.wang), company.wang)
    place(late_fix, NOV_3, contacted_at=5, arrived_at=60, done_at=25 * 60)  # fixed an hour late
    leak = complete(company.order(company.zhao, "urgent_leak", "厨房暖气片漏水"), company.zhao)
    place(leak, NOV_3, contacted_at=25, arrived_at=25, done_at=70)  # on site within 30 min
    orders.cancel(place(company.order(company.zhao), NOV_3), company.dispatcher, "重复报修")
    paid = complete(company.order(company.zhao, "paid_service", "更换阀门"), company.zhao)
    place(paid, NOV_3, arrived_at=600, done_at=700)  # not a repair

    figure = _figures()["repair_timeliness"]
    assert (figure.hits, figure.total, figure.text) == (2, 4, "50.0%")
    assert not figure.meets_target and figure.verdict == "未达标:2 单超时"
    assert _figures(company.west)["repair_timeliness"].text == "100.0%"
    people = {row.technician_id: row.figures["repair_timeliness"] for row in
              services.month_report(NOVEMBER).technicians}
    assert (people[company.zhang.id].hits, people[company.zhang.id].total) == (1, 2)
    assert (people[company.wang.id].hits, people[company.wang.id].total) == (0, 1)


def test_an_open_repair_counts_once_it_is_late_not_before(company):
    """Nothing is written when a repair misses its time while nobody touches it; it is a miss all the same."""
    finished = complete(company.order(company.zhang), company.zhang)
    place(finished, NOV_3, contacted_at=10, arrived_at=90, done_at=300)
    still_open = place(company.order(company.zhang), NOV_3)  # not contacted 30 min after opening: late
    late_arrival = place(company.order(company.wang), NOV_3, contacted_at=5, arrived_at=200)  # on site, late
    figure = _figures()["repair_timeliness"]
    assert (figure.hits, figure.total) == (1, 3)  # the finished one, and the two already late
    assert not [row for row in snapshot()[1] if row[0] in (still_open.id, late_arrival.id)]  # read live
    people = {row.technician_id: row.figures["repair_timeliness"]
              for row in services.month_report(NOVEMBER).technicians}
    assert (people[company.zhang.id].total, people[company.wang.id].total) == (2, 1)
    ten_minutes_in = NOV_3 + timedelta(minutes=10)  # before the 30-minute contact limit: not late yet
    late_then = select(func.count()).where(live.late_open_repairs(now=ten_minutes_in), WorkOrder.id == still_open.id)
    assert db.session.execute(late_then).scalar_one() == 0

    complete(still_open, company.zhang)  # finished late: now in the counters, and counted once
    assert _figures()["repair_timeliness"].total == 3


def test_satisfaction_is_satisfied_customers_out_of_those_who_answered_the_callback(company):
    for satisfaction in ("satisfied", "satisfied", "fair", "dissatisfied"):
        order = complete(company.order(company.zhang), company.zhang)
        place(order, NOV_3, contacted_at=5, arrived_at=30, done_at=60)
        answer(order, company.back_office, satisfaction)
    not_yet = complete(company.order(company.zhao, "paid_service", "更换阀门"), company.zhao)
    place(not_yet, NOV_3)  # its callback is still pending: nobody was asked
    figure = _figures()["satisfaction"]
    assert (figure.hits, figure.total, figure.text) == (2, 4, "50.0%")  # 基本满意 is not 满意


def test_complaints_assigned_closed_in_time_and_satisfied(company):
    place(company.order(company.zhang, "complaint", "态度不好"), NOV_3)
    not_dispatched = orders.open_work_order(company.dispatcher, company.order(company.zhang).household,
                                            "hotline", "complaint", "没人来")  # not assigned yet
    place(not_dispatched, NOV_3)
    in_time = complete(company.order(company.zhang, "complaint", "没穿鞋套"), company.zhang)
    place(in_time, NOV_3, dispatched_at=10, done_at=2 * 24 * 60)  # 3 working days from Tue 3 Nov: Fri 6 Nov
    answer(in_time, company.back_office, "satisfied")
    too_late = complete(company.order(company.zhao, "complaint", "三天没人来"), company.zhao)
    place(too_late, NOV_3, dispatched_at=10, done_at=4 * 24 * 60)  # Sat 7 Nov: after the limit
    answer(too_late, company.back_office, "fair")

    figures = _figures()
    assert [(figures[code].hits, figures[code].total) for code in
            ("complaint_timeliness", "closure", "complaint_satisfaction")] == [(1, 3), (2, 3), (1, 3)]
    assert figures["closure"].text == "66.6%"  # rounded down: 100.0% only when every one is closed
    assert figures["closure"].verdict == "未达标:1 件未办结"


def test_a_repair_the_callback_found_not_solved_is_a_miss_of_the_technician_whose_round_failed(company):
    repair = complete(company.order(company.zhang), company.zhang)
    place(repair, NOV_3, contacted_at=5, arrived_at=30, done_at=60)  # every clock met the first time
    answer(repair, company.back_office, "dissatisfied", solved=False)  # reopens: clocks restart, stamps clear
    dispatch(repair, company.dispatcher, company.wang)
    complete(repair, company.wang)  # put right in time by another technician
    answer(repair, company.back_office, "satisfied")

    people = {row.technician_id: row.figures for row in services.month_report(NOVEMBER).technicians}
    timely = _figures()["repair_timeliness"]
    assert (timely.hits, timely.total) == (0, 1)  # one repair, not fixed the first time: a miss
    assert (people[company.zhang.id]["repair_timeliness"].hits, people[company.zhang.id]["repair_timeliness"].total) \
        == (0, 1)
    assert people[company.wang.id]["repair_timeliness"].empty  # the second technician takes no failure
    # Each answered round counts for its technician: the customer was asked twice and said no, then yes.
    assert (_figures()["satisfaction"].hits, _figures()["satisfaction"].total) == (1, 2)
    assert (people[company.zhang.id]["satisfaction"].hits, people[company.zhang.id]["satisfaction"].total) == (0, 1)
    assert (people[company.wang.id]["satisfaction"].hits, people[company.wang.id]["satisfaction"].total) == (1, 1)


def test_a_complaint_reopened_stays_assigned_and_late_and_cancelling_it_does_not_hide_the_failure(company):
    complaint = complete(company.order(company.zhao, "complaint", "维修后没清理"), company.zhao)
    place(complaint, NOV_3, dispatched_at=10, done_at=60)  # closed well within 3 working days
    answer(complaint, company.back_office, "dissatisfied", solved=False)
    assert complaint.status == "new" and complaint.dispatched_at is None  # back to dispatch
    figures = _figures()
    assert [(figures[code].hits, figures[code].total) for code in
            ("complaint_timeliness", "closure", "complaint_satisfaction")] == [(0, 1), (0, 1), (0, 1)]

    orders.cancel(complaint, company.dispatcher, "客户不再追究")
    figures = _figures()
    assert [(figures[code].hits, figures[code].total) for code in
            ("complaint_timeliness", "closure", "complaint_satisfaction")] == [(0, 1), (0, 1), (0, 1)]
    assert services.month_report(NOVEMBER).technicians[0].technician_id == company.zhao.id


def test_checklist_counts_finished_visits_and_a_skipped_step_misses(company):
    complete(place(company.order(company.zhang), NOV_3), company.zhang)
    complete(place(company.order(company.zhang), NOV_3), company.zhang, skip=("tool_mat",))
    complete(place(company.order(company.zhao), NOV_3), company.zhao)
    figure = _figures()["checklist"]
    assert (figure.hits, figure.total) == (2, 3)
    by_person = {row.technician_id: row.figures["checklist"] for row in services.month_report(NOVEMBER).technicians}
    assert (by_person[company.zhang.id].hits, by_person[company.zhang.id].total) == (1, 2)


def test_targets_and_rounding():
    satisfaction = BY_CODE["satisfaction"]
    assert Figure(satisfaction, 99, 100).meets_target and Figure(satisfaction, 99, 100).verdict == "达标"
    assert not Figure(satisfaction, 989, 1000).meets_target
    assert Figure(satisfaction, 9999, 10000).text == "99.9%"
    assert Figure(BY_CODE["repair_timeliness"], 9999, 10000).text == "99.9%"  # never shown as 100.0%
    assert not Figure(BY_CODE["repair_timeliness"], 9999, 10000).meets_target
    empty = Figure(satisfaction, 0, 0)
    assert (empty.text, empty.meets_target, empty.verdict) == ("—", True, "本月无数据")


def test_the_month_page_numbers_come_from_counters_that_a_rebuild_reproduces(company):
    order = complete(company.order(company.zhang), company.zhang)
    place(order, NOV_3, contacted_at=5, arrived_at=30, done_at=60)
    answer(order, company.back_office, "satisfied")
    before = snapshot()
    services.rebuild()
    assert snapshot() == before
