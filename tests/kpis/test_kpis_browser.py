"""A manager's look at 考核指标 in a real browser: half a year of figures, a miss, its orders."""
from pathlib import Path

from playwright.sync_api import expect

from app.extensions import db
from app.kpis.months import iso, months_up_to
from tests.conftest import beijing, open_desk
from tests.kpis.conftest import answer, complete, place

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MONTHS = months_up_to(202611, 6)


def _half_a_year(company):
    """Six months of repairs, complaints and callbacks; a few late arrivals and one unhappy customer."""
    people = (company.zhang, company.wang, company.zhao)
    for m, month in enumerate(MONTHS):
        for t, tech in enumerate(people):
            opened = beijing(month // 100, month % 100, 5 + 3 * t, 9)
            late = (m + t) % 4 == 1
            order = complete(company.order(tech), tech, skip=("tool_mat",) if (m, t) == (5, 1) else ())
            place(order, opened, contacted_at=10, arrived_at=150 if late else 70, done_at=240)
            answer(order, company.back_office, "dissatisfied" if (m, t) == (4, 2) else "satisfied")
        complaint = complete(company.order(people[m % 3], "complaint", "维修后没清理"), people[m % 3])
        days = 4 if m == 5 else 1
        place(complaint, beijing(month // 100, month % 100, 20, 9), dispatched_at=5, done_at=days * 24 * 60)
        answer(complaint, company.back_office, "satisfied")
    username = company.back_office.username
    db.session.commit()  # and nothing read afterwards: SQLite would hold its write lock for this session
    return username


def test_a_manager_reads_the_month_and_drills_into_a_miss(app, live_server, browser, company):
    desk = open_desk(browser, live_server, _half_a_year(company))
    desk.goto(f"{live_server}/kpis?month={iso(MONTHS[-1])}")
    expect(desk.get_by_role("heading", name="客户报修处理及时率")).to_be_visible()
    expect(desk.locator(".kpi-card--miss").first).to_contain_text("未达标")
    ARTIFACTS.mkdir(exist_ok=True)
    desk.screenshot(path=str(ARTIFACTS / "kpis-month.png"), full_page=True)

    desk.locator(".kpi-card", has_text="客户报修处理及时率").get_by_role("link", name="查看超时的").click()
    expect(desk.locator(".kpi-orders tbody tr")).to_have_count(1)
    expect(desk.locator(".kpi-orders")).to_contain_text("到场 超时 30 分钟")
    desk.screenshot(path=str(ARTIFACTS / "kpis-drill.png"), full_page=True)
    assert desk.problems == []
