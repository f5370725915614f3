"""The admin keeps the holiday calendar on /admin/calendar: a range added at once, bad input refused with the
reason and nothing saved, a day deleted; every change in the audit trail; nobody else may touch it."""
from datetime import date

import pytest

from app.audit.models import AuditEvent
from app.clocks import calendar
from app.clocks.models import CalendarDay
from app.extensions import db
from app.localtime import now_utc, to_local

SPRING_FESTIVAL = {"from": "2027-02-06", "to": "2027-02-12", "kind": "holiday", "name": "春节"}


def entered(app):
    with app.app_context():
        return {(row.day.isoformat(), row.working, row.name)
                for row in db.session.execute(db.select(CalendarDay)).scalars()}


def audited(app, action):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).filter_by(entity="calendar_day", action=action)).scalars().all()


def test_the_admin_adds_a_holiday_range_and_a_weekend_working_day(app, client, world):
    world.as_(client, "admin")
    added = client.post("/admin/calendar", data=SPRING_FESTIVAL, follow_redirects=True)
    assert added.status_code == 200 and "已添加 2027-02-06 至 2027-02-12 放假(春节),共 7 天" in added.text
    client.post("/admin/calendar", data={"from": "2027-02-20", "to": "", "kind": "workday", "name": "春节"})
    assert len(entered(app)) == 8
    assert ("2027-02-20", True, "春节") in entered(app)
    page = client.get("/admin/calendar?year=2027").text
    assert "2027-02-06" in page and "星期六" in page and "放假 7 天 · 调休上班 1 天" in page
    assert [event.data for event in audited(app, "add")] == [
        {"first": "2027-02-06", "last": "2027-02-12", "working": False, "name": "春节"},
        {"first": "2027-02-20", "last": "2027-02-20", "working": True, "name": "春节"}]


def test_the_page_shows_this_year_and_next_and_says_what_a_change_affects(app, client, world):
    world.as_(client, "admin")
    with app.app_context():
        this_year = to_local(now_utc()).year
    page = client.get("/admin/calendar").text
    assert f"{this_year} 年还没有录入" in page and f"{this_year + 1} 年还没有录入" in page
    assert "修改只影响此后受理的工单" in page and "国务院办公厅" in page
    assert 'href="/admin/calendar" aria-current="page"' in page  # its tab among the settings


@pytest.mark.parametrize(("change", "message"), [
    ({"from": "2027-02-30"}, "不是有效的日期"),
    ({"from": ""}, "此项必填"),
    ({"to": "2027-13-01"}, "不是有效的日期"),
    ({"from": "2027-02-12", "to": "2027-02-06"}, "结束日期不能早于开始日期"),
    ({"from": "2027-01-01", "to": "2027-02-01"}, "一次最多添加 31 天"),
    ({"from": "2027-02-06", "to": "2027-02-08", "kind": "workday"}, "2027-02-08 是星期一,本来就上班"),
    ({"from": "1999-12-31", "to": ""}, "日期须在 2000–2100 年之间"),
    ({"from": "2100-12-31", "to": "2101-01-01"}, "日期须在 2000–2100 年之间"),
    ({"kind": "vacation"}, "请从给定的选项中选择"),
    ({"name": " "}, "此项必填"),
    ({"name": "春节" * 11}, "长度须在 1–20 字之间"),
])
def test_bad_input_is_refused_with_the_reason_and_nothing_saved(app, client, world, change, message):
    world.as_(client, "admin")
    response = client.post("/admin/calendar", data={**SPRING_FESTIVAL, **change})
    assert response.status_code == 422
    assert message in response.text
    assert entered(app) == set() and audited(app, "add") == []


def test_a_holiday_already_entered_is_refused(app, client, world):
    world.as_(client, "admin")
    client.post("/admin/calendar", data=SPRING_FESTIVAL)
    response = client.post("/admin/calendar", data={**SPRING_FESTIVAL, "from": "2027-02-12", "to": "2027-02-14"})
    assert response.status_code == 422 and "2027-02-12(星期五,放假 春节)已在日历中" in response.text
    assert 'value="2027-02-14"' in response.text  # what was typed stays, to be corrected
    assert len(entered(app)) == 7


def test_the_admin_deletes_a_day(app, client, world):
    world.as_(client, "admin")
    client.post("/admin/calendar", data=SPRING_FESTIVAL)
    with app.app_context():
        friday = db.session.execute(db.select(CalendarDay).filter_by(day=date(2027, 2, 12))).scalar_one().id
    deleted = client.post(f"/admin/calendar/{friday}/delete", follow_redirects=True)
    assert deleted.status_code == 200 and "已删除 2027-02-12(星期五,放假 春节)" in deleted.text
    assert len(entered(app)) == 6 and ("2027-02-12", False, "春节") not in entered(app)
    assert audited(app, "delete")[0].data == {"day": "2027-02-12", "working": False, "name": "春节"}
    assert client.post(f"/admin/calendar/{friday}/delete").status_code == 404


def test_a_write_without_the_csrf_token_is_refused(app, client, world):
    world.as_(client, "admin")
    client.csrf = False
    assert client.post("/admin/calendar", data=SPRING_FESTIVAL).status_code == 400
    assert entered(app) == set()


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "technician"])
def test_only_the_admin_may_see_or_change_the_calendar(app, client, world, role):
    with app.app_context():
        kept = calendar.add_days(None, date(2027, 10, 1), None, working=False, name="国庆节")[0].id
        db.session.commit()
    world.as_(client, role)
    assert client.get("/admin/calendar").status_code == 403
    assert client.post("/admin/calendar", data=SPRING_FESTIVAL).status_code == 403
    assert client.post(f"/admin/calendar/{kept}/delete").status_code == 403
    assert entered(app) == {("2027-10-01", False, "国庆节")}
    if role != "technician":
        assert 'href="/admin/calendar"' not in client.get("/dispatch/board").text


def test_without_signing_in_the_page_sends_to_the_login(client, world):
    response = client.get("/admin/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
