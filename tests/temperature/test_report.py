"""测温报表: a month's readings per branch and estate — below the standard at the time measured, signed by the
customer or not — on the desk and as an XLSX with the same readings."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.service_slips import services as slips
from app.visits import services as visits
from tests import factories
from tests.conftest import beijing
from tests.service_slips.conftest import as_user, choices, on_site_with_repair, signed_as_phone


def measured(area, estate, readings, sign=False, category="temperature_check"):
    """An order of `category` in a new household of `estate` with `readings` [(celsius, moment)]."""
    order, tech = on_site_with_repair(area, category=category, fault_location="company", resolution="free")
    order.household.estate = estate
    for celsius, moment in readings:
        visits.add_reading(order, tech, "bedroom", celsius, device_time=moment)
    if sign:
        slips.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
    return order


@pytest.fixture
def month(app):
    """December 2026 in two branches; one reading of November and one of the small hours of 1 January."""
    with app.app_context():
        visits.ensure_default_photo_rules()
        east = factories.area(factories.branch(code="CD", name="城东分公司"))
        west = factories.area(factories.branch(code="CX", name="城西分公司"))
        sunny, happy = factories.estate(east, name="阳光小区"), factories.estate(east, name="幸福里")
        measured(east, sunny, [(17.2, beijing(2026, 12, 2, 10)), (18.4, beijing(2026, 12, 2, 10, 5))], sign=True)
        measured(east, sunny, [(16.5, beijing(2026, 12, 3, 22))])  # night: meets 16 °C, not signed
        measured(east, happy, [(15.0, beijing(2026, 12, 31, 23, 59))], sign=True)
        measured(west, factories.estate(west, name="河西花园"), [(19.0, beijing(2026, 12, 4, 9))], category="repair",
                 sign=True)
        measured(east, sunny, [(17.0, beijing(2026, 11, 30, 23, 59))])
        measured(east, sunny, [(17.0, beijing(2027, 1, 1, 0, 1))])
        ids = {"east": east.branch_id, "dispatcher": factories.user("dispatcher").id,
               "technician": factories.technician(east).id}
        db.session.commit()
    return ids


def test_the_month_counts_readings_per_estate_below_standard_and_signed(app, client, month):
    page = as_user(client, month["dispatcher"]).get("/reports/temperature?month=2026-12").get_data(as_text=True)
    rows = [row for row in page.split("<tr>") if "<td>" in row]
    assert "<td>城东分公司</td><td>阳光小区</td><td class=\"num\">2</td><td class=\"num\">3</td>" in page
    sunny = next(row for row in rows if "阳光小区" in row)
    assert [cell.split(">")[-1] for cell in sunny.split("</td>")[2:7]] == ["2", "3", "1", "2", "1"]
    happy = next(row for row in rows if "幸福里" in row)
    assert [cell.split(">")[-1] for cell in happy.split("</td>")[2:7]] == ["1", "1", "1", "1", "0"]
    assert "河西花园" in page  # every reading, not only 测温 orders'
    assert "16.5 °C" in page and "未签字" in page  # the unsigned one needs following up


def test_one_branch_only(app, client, month):
    page = as_user(client, month["dispatcher"]).get(
        f"/reports/temperature?month=2026-12&branch={month['east']}").get_data(as_text=True)
    assert "阳光小区" in page and "河西花园" not in page


def test_the_xlsx_lists_every_reading_of_the_month_with_its_standard_and_signature(app, client, month):
    answer = as_user(client, month["dispatcher"]).get("/reports/temperature/export.xlsx?month=2026-12")
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("测量时间", "分公司", "小区")
    body = rows[1:]
    assert [(r[0], r[9], r[10], r[11], r[12]) for r in body] == [
        ("2026-12-02 10:00", 17.2, 18, "否", "是"),
        ("2026-12-02 10:05", 18.4, 18, "是", "是"),
        ("2026-12-03 22:00", 16.5, 16, "是", "否"),
        ("2026-12-04 09:00", 19, 18, "是", "是"),
        ("2026-12-31 23:59", 15, 16, "否", "是"),
    ]
    assert all(r[13].startswith("C") for r in body if r[12] == "是")


def test_a_month_without_readings_says_so(app, client, month):
    page = as_user(client, month["dispatcher"]).get("/reports/temperature?month=2025-06").get_data(as_text=True)
    assert "2025年6月没有测温记录" in page


@pytest.mark.parametrize("query,status", [("month=2026-13", 422), ("branch=999999", 404), ("branch=x", 404)])
def test_a_month_or_branch_that_is_not_one_is_refused(app, client, month, query, status):
    assert as_user(client, month["dispatcher"]).get(f"/reports/temperature?{query}").status_code == status


def test_technicians_do_not_read_the_report(app, client, month):
    assert as_user(client, month["technician"]).get("/reports/temperature").status_code == 403
