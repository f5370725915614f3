"""A figure drills down to exactly the orders it counts, each with why it was a hit or a miss."""
import re

from app.dispatch.services import dispatch
from app.extensions import db
from app.kpis import drill, services
from app.kpis.measures import BY_CODE
from app.work_orders import services as orders
from tests.conftest import beijing, sign_in
from tests.kpis.conftest import NOVEMBER, answer, complete, place

OPENED = beijing(2026, 11, 12, 9, 0)


def _ids(lines):
    return [line.order.id for line in lines]


def _month_of_repairs(company):
    on_time = complete(company.order(company.zhang), company.zhang)
    place(on_time, OPENED, contacted_at=10, arrived_at=90, done_at=300)
    late = complete(company.order(company.zhang), company.zhang)
    place(late, OPENED, contacted_at=45, arrived_at=130, done_at=200)
    west = complete(company.order(company.zhao, "urgent_leak", "漏水"), company.zhao)
    place(west, OPENED, contacted_at=20, arrived_at=20, done_at=60)
    october = complete(company.order(company.zhang), company.zhang)
    place(october, beijing(2026, 10, 31, 23, 50), contacted_at=5, arrived_at=40, done_at=100)
    return on_time, late, west


def test_the_drill_down_lists_exactly_the_counted_orders(company):
    on_time, late, west = _month_of_repairs(company)
    company.order(company.zhang)  # open: opened in November, counted nowhere
    kpi = BY_CODE["repair_timeliness"]
    lines, more = drill.counted(kpi, NOVEMBER)
    assert _ids(lines) == [on_time.id, late.id, west.id] and not more
    assert _ids(drill.counted(kpi, NOVEMBER, branch_id=company.east.id)[0]) == [on_time.id, late.id]
    assert _ids(drill.counted(kpi, NOVEMBER, technician_id=company.zhao.id)[0]) == [west.id]
    assert _ids(drill.counted(kpi, NOVEMBER, misses=True)[0]) == [late.id]


def test_each_line_says_which_clock_was_missed_and_by_how_much(company):
    _on_time, late, _west = _month_of_repairs(company)
    (line,) = drill.counted(BY_CODE["repair_timeliness"], NOVEMBER, misses=True)[0]
    assert line.order.id == late.id and not line.hit
    assert [state for state, _ in line.reasons] == ["late", "late", "met"]
    assert line.reasons[0][1] == "联系客户 超时 15 分钟(时限 11-12 09:30,实际 11-12 09:45)"
    assert line.reasons[1][1].startswith("到场 超时 10 分钟")


def test_pages_of_the_drill_down(company):
    on_time, late, west = _month_of_repairs(company)
    kpi = BY_CODE["repair_timeliness"]
    first, more = drill.counted(kpi, NOVEMBER, per_page=2)
    second, no_more = drill.counted(kpi, NOVEMBER, page=2, per_page=2)
    assert (_ids(first), more, _ids(second), no_more) == ([on_time.id, late.id], True, [west.id], False)


def test_satisfaction_and_complaint_lines_give_the_customers_answer(company):
    complaint = complete(company.order(company.zhang, "complaint", "态度不好"), company.zhang)
    place(complaint, OPENED, dispatched_at=5, done_at=6 * 24 * 60)
    answer(complaint, company.back_office, "fair")
    (line,) = drill.counted(BY_CODE["complaint_satisfaction"], NOVEMBER)[0]
    assert not line.hit and line.reasons[0][1].startswith("基本满意(电话回访")
    (line,) = drill.counted(BY_CODE["complaint_timeliness"], NOVEMBER)[0]
    assert line.reasons[0][0] == "late" and line.reasons[0][1].startswith("办结 超时")


def test_a_complaint_not_yet_closed_says_its_state_and_how_late_it_is(company):
    waiting = place(company.order(company.zhang, "complaint", "电话没人接"), OPENED, dispatched_at=5)
    (line,) = drill.counted(BY_CODE["complaint_timeliness"], NOVEMBER)[0]
    assert line.order.id == waiting.id and line.reasons[0][0] == "overdue"
    assert line.reasons[0][1].startswith("未办结,当前已派单;已超时 ") and "(时限 11-17 09:00)" in line.reasons[0][1]


def test_checklist_lines_name_the_skipped_step_and_why(company):
    complete(place(company.order(company.zhang), OPENED), company.zhang, skip=("tool_mat",))
    (line,) = drill.counted(BY_CODE["checklist"], NOVEMBER, misses=True)[0]
    assert "跳过 一铺(客户不同意)" in line.reasons[0][1]


def test_durations_read_as_people_say_them():
    from datetime import timedelta

    assert drill.duration_text(timedelta(minutes=35)) == "35 分钟"
    assert drill.duration_text(timedelta(hours=2, minutes=5)) == "2 小时 5 分钟"
    assert drill.duration_text(timedelta(days=3, hours=4, minutes=9)) == "3 天 4 小时"
    assert drill.duration_text(timedelta(seconds=20)) == "不到 1 分钟"


def test_a_reopened_repair_says_its_callback_found_it_not_solved(company):
    repair = complete(company.order(company.zhang), company.zhang)
    place(repair, OPENED, contacted_at=5, arrived_at=30, done_at=60)
    answer(repair, company.back_office, "dissatisfied", solved=False)
    (line,) = drill.counted(BY_CODE["repair_timeliness"], NOVEMBER, misses=True)[0]
    assert (line.order.id, line.technician_id, line.hit) == (repair.id, company.zhang.id, False)
    state, words = line.reasons[0]
    assert state == "late" and "还是不热" in words
    assert words.startswith("第 1 次完工 · 张建军后回访未解决,已退回重新派单")


def _rows(html):
    """{order number: the row's cells as text}, from the drill-down page."""
    rows = {}
    for row in re.findall(r"<tr class=.*?</tr>", html, re.S):
        cells = [re.sub(r"<[^>]+>", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        rows[cells[0]] = cells
    return rows


def test_the_technician_column_names_whom_the_line_is_credited_to_not_who_has_the_order_now(client, company):
    repair = complete(company.order(company.zhang), company.zhang)
    place(repair, OPENED, contacted_at=5, arrived_at=30, done_at=60)
    answer(repair, company.back_office, "dissatisfied", solved=False)  # reopens: the failure is 张建军's
    dispatch(repair, company.dispatcher, company.wang)
    household = company.order(company.zhang).household
    letter = orders.open_work_order(company.dispatcher, household, "letter", "complaint", "来信投诉")
    place(letter, OPENED, dispatched_at=5)  # handed to the branch, nobody named
    db.session.commit()
    (line,) = drill.counted(BY_CODE["repair_timeliness"], NOVEMBER)[0]
    assert (line.technician, repair.technician) == (company.zhang, company.wang)
    client = sign_in(client, company.back_office)
    for kpi in ("repair_timeliness", "checklist"):
        page = client.get(f"/kpis/orders?month=2026-11&kpi={kpi}").get_data(as_text=True)
        assert _rows(page)[repair.number][5] == "张建军"
    page = client.get("/kpis/orders?month=2026-11&kpi=complaint_timeliness").get_data(as_text=True)
    assert _rows(page)[letter.number][5] == "未派单"


def test_a_line_holding_two_visits_or_answers_says_so_and_the_tabs_count_what_the_figure_counts(client, company):
    repair = complete(company.order(company.zhang), company.zhang, skip=("tool_mat",))
    place(repair, OPENED, contacted_at=5, arrived_at=30, done_at=60)
    answer(repair, company.back_office, "dissatisfied", solved=False)
    dispatch(repair, company.dispatcher, company.zhang)
    complete(repair, company.zhang)
    answer(repair, company.back_office, "satisfied")
    db.session.commit()
    client = sign_in(client, company.back_office)
    page = client.get("/kpis/orders?month=2026-11&kpi=checklist").get_data(as_text=True)
    assert len(_rows(page)) == 1 and "2 次入户:九步全部完成 1 次" in _rows(page)[repair.number][6]
    assert "全部 2 次入户" in page and "只看有步骤跳过的 1 次" in page and "多次入户合为一行" in page
    page = client.get("/kpis/orders?month=2026-11&kpi=satisfaction").get_data(as_text=True)
    assert "2 次回访:满意 1 次" in _rows(page)[repair.number][6] and "全部 2 次回访" in page
    page = client.get("/kpis/orders?month=2026-11&kpi=repair_timeliness").get_data(as_text=True)
    assert "全部 1 单报修" in page and "只看超时的 1 单" in page and "合为一行" not in page


def test_open_repairs_already_late_come_first_and_the_pages_run_on_into_the_counted_ones(company):
    on_time, late, west = _month_of_repairs(company)
    waiting = place(company.order(company.zhang), OPENED)  # nobody called the customer: late, still open
    kpi = BY_CODE["repair_timeliness"]
    first, more = drill.counted(kpi, NOVEMBER, per_page=2)
    second, no_more = drill.counted(kpi, NOVEMBER, page=2, per_page=2)
    assert (_ids(first), more, _ids(second), no_more) == ([waiting.id, on_time.id], True, [late.id, west.id], False)
    assert not first[0].hit and first[0].reasons[0][1].startswith("联系客户 未完成,已超时")
    assert _ids(drill.counted(kpi, NOVEMBER, misses=True)[0]) == [waiting.id, late.id]
    figure = services.figure(kpi, NOVEMBER)
    assert (figure.hits, figure.total) == (2, 4)  # the page's figure counts the same four lines
