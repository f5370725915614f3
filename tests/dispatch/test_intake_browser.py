"""The done-when of the dispatch desk: a hotline call becomes a leak order on the right technician's phone."""
import re

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.conftest import open_desk


def _company(app):
    with app.app_context():
        east = factories.branch(code="CD", name="城东分公司")
        hedong, dongli = factories.area(east, name="河东片区"), factories.area(east, name="东丽片区")
        busy = factories.technician(hedong, username="T1001", name="张建军", badge_number="T1001")
        free = factories.technician(hedong, username="T1002", name="王海涛", badge_number="T1002")
        factories.technician(dongli, username="T1003", name="李国庆", badge_number="T1003")
        home = factories.household(factories.estate(hedong, name="春华里"), name="罗德明", phone="13592050076",
                                   account_number="0101010801", building="1", unit="1", room="801")
        factories.work_order(factories.household(factories.estate(hedong, name="万新花园")), technician_=busy)
        factories.user("dispatcher", username="dispatcher", name="刘婷")
        db.session.commit()
        return {"free": free.id, "home": home.id}


def test_a_phone_call_becomes_a_leak_order_at_the_top_of_the_right_technicians_phone(app, live_server, browser):
    ids = _company(app)
    desk = open_desk(browser, live_server, "dispatcher")
    problems = desk.problems
    expect(desk).to_have_url(re.compile("/dispatch/board"))

    desk.get_by_role("link", name=re.compile("受理来电")).click()
    expect(desk).to_have_url(re.compile("/dispatch/intake"))
    desk.wait_for_load_state("load")  # under load, typing could start before intake.js listens
    desk.keyboard.type("春华里 1 801")  # the search box has the focus: no mouse needed to start
    expect(desk.locator("#household-results li")).to_have_count(1)
    desk.keyboard.press("Enter")
    expect(desk.locator("#household-card")).to_contain_text("罗德明")
    expect(desk.locator("#proposal")).to_contain_text("王海涛")  # the area's lighter-loaded technician
    expect(desk.locator("#technician_id")).to_have_value(str(ids["free"]))
    desk.get_by_label(re.compile("跑冒滴漏")).check()
    expect(desk.locator("[data-urgent-note]")).to_be_visible()
    desk.get_by_label("故障描述").fill("卫生间暖气片接口跑水,地面已积水")
    desk.get_by_role("button", name="受理并派单").click()
    expect(desk.locator(".flash--urgent")).to_contain_text("请立即电话通知城东分公司")
    assert problems == []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    phone.goto(f"{live_server}/field/")
    phone.get_by_label("工号").fill("T1002")
    phone.get_by_label("密码").fill(factories.PASSWORD)
    phone.get_by_role("button", name="登录").click()
    top = phone.locator(".job-card").first
    expect(top).to_contain_text("1号楼 1单元 801室")
    expect(top.locator(".badge--urgent")).to_contain_text("紧急")
    expect(top.locator(".countdown")).to_have_text(re.compile(r"^还剩 (29|30) 分钟$"))


def test_a_search_that_finds_nothing_says_so_and_a_new_query_forgets_the_household_chosen(app, live_server, browser):
    _company(app)
    desk = open_desk(browser, live_server, "dispatcher")
    desk.goto(f"{live_server}/dispatch/intake")
    desk.wait_for_load_state("load")
    submit = desk.locator("#intake-submit")
    expect(submit).to_have_text("仅受理")
    search = desk.get_by_label("户号、电话或地址")
    search.fill("春华里 1 801")
    expect(desk.locator("#household-results li")).to_have_count(1)
    search.press("Enter")
    expect(desk.locator("#household-card")).to_contain_text("罗德明")
    expect(submit).to_have_text("受理并派单")  # the area's technician is proposed
    desk.get_by_label("维修师傅").select_option("")
    expect(submit).to_have_text("仅受理")

    search.fill("幸福里 9 9 999")  # another caller, or a correction
    expect(desk.locator("#household-card")).to_be_hidden()
    expect(desk.locator("#household_id")).to_have_value("")
    expect(desk.locator("#household-none")).to_contain_text("没有找到“幸福里 9 9 999”")
    desk.get_by_role("button", name="新建热用户").click()
    expect(desk.locator("#new-account-number")).to_be_focused()
    assert desk.problems == []


def test_a_pc_in_english_still_gets_chinese_messages_and_24_hour_times(app, live_server, browser):
    """What the browser would draw itself (its validation bubble, a date picker) follows the PC's language:
    the desk speaks for itself instead, and times are typed and shown as 2026-12-09 14:30."""
    ids = _company(app)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    desk = context.new_page()
    desk.goto(f"{live_server}/login")
    desk.get_by_label("用户名 / 工号").fill("dispatcher")
    desk.get_by_label("密码").fill(factories.PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"{live_server}/dispatch/intake")
    desk.wait_for_load_state("load")
    desk.locator("#intake-submit").click()
    expect(desk).to_have_url(re.compile("/dispatch/intake$"))  # not sent
    expect(desk.locator("#category-check")).to_have_text("请选择")
    expect(desk.locator("#description-check")).to_have_text("此项必填")
    appointment = desk.locator("input[name=appointment_at]")
    expect(appointment).to_have_attribute("type", "text")
    expect(appointment).to_have_attribute("placeholder", "2026-12-03 14:30")
    appointment.fill("下周三下午")
    desk.locator("#intake-submit").click()
    expect(desk.locator("#appointment_at-check")).to_contain_text("年-月-日 时:分(24 小时制)")

    desk.get_by_label("户号、电话或地址").fill("春华里 1 801")
    expect(desk.locator("#household-results li")).to_have_count(1)
    desk.get_by_label("户号、电话或地址").press("Enter")
    desk.get_by_label("报修", exact=True).check()
    desk.get_by_label("故障描述").fill("客厅暖气不热")
    appointment.fill("2099-12-09 14:30")
    desk.locator("#intake-submit").click()
    expect(desk.locator(".flash--success")).to_contain_text("已受理工单")
    expect(desk.locator("body")).to_contain_text("2099-12-09 14:30")
    assert ids
