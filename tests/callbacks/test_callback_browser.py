"""The done-when of the callback queue: the back office works a callback on the page, as a person would."""
import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from app.callbacks import services as callbacks
from app.extensions import db
from app.localtime import now_utc
from app.visits import services as visits
from tests.callbacks.conftest import build_company, finish_visit, signed_free_slip
from tests.conftest import open_desk

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"callbacks-{name}.png"), full_page=True)


def _queue(app):
    """A late repair callback, a paid service that may not be called before the morning, a slip rating."""
    with app.app_context():
        company = build_company()
        late = company.completed("repair")
        task = callbacks.pending_for(late)
        task.due_from, task.due_by = now_utc() - timedelta(hours=51), now_utc() - timedelta(hours=3, minutes=20)
        paid = company.completed("paid_service")
        callbacks.pending_for(paid).due_from = now_utc() + timedelta(hours=9)
        rated, tech, slip = signed_free_slip(company.area)
        finish_visit(rated, tech, repair=False)
        visits.advance(rated, tech, "complete")
        db.session.commit()
        return {"late": late.number, "late_id": late.id, "paid": paid.number, "token": slip.verify_token}


def test_the_back_office_works_a_late_callback_on_the_page(app, live_server, browser):
    ids = _queue(app)
    desk = open_desk(browser, live_server, "backoffice")
    desk.get_by_role("link", name="回访", exact=True).click()
    row = desk.locator("tr.callback", has_text=ids["late"])
    expect(row).to_have_class(re.compile("callback--overdue"))
    expect(row.locator(".countdown")).to_have_text(re.compile(r"^已超时 3 小时 (19|20) 分钟$"))
    expect(desk.locator("tr.callback").first).to_contain_text(ids["late"])  # the latest due first
    expect(desk.locator("tr.callback", has_text=ids["paid"]).locator(".due--waiting")).to_have_text(
        re.compile(r"后可回访$"))
    shoot(desk, "queue")

    row.get_by_role("link", name=re.compile("^回访")).click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text(ids["late"])
    expect(desk.get_by_role("link", name=re.compile("13592050076"))).to_have_attribute("href", "tel:13592050076")
    desk.get_by_label("未解决", exact=True).check()
    expect(desk.locator("[data-unsolved-note]")).to_be_visible()
    expect(desk.get_by_label("客户意见")).to_have_attribute("required", "")
    shoot(desk, "work-unsolved")
    desk.get_by_label("已解决", exact=True).check()
    expect(desk.locator("[data-unsolved-note]")).to_be_hidden()
    desk.get_by_label("满意", exact=True).check()
    desk.get_by_label("客户意见").fill("暖气热了,师傅很负责")
    desk.get_by_role("button", name="保存回访结果").click()

    expect(desk.locator(".flash--success")).to_contain_text(f"{ids['late']} 问题已解决,满意,工单已关闭")
    expect(desk.locator("tr.callback", has_text=ids["late"])).to_have_count(0)
    desk.get_by_role("link", name="已回访").click()
    expect(desk.locator("table.callbacks")).to_contain_text("暖气热了,师傅很负责")
    shoot(desk, "answered")
    assert desk.problems == []


def test_screens_a_person_sees(app, live_server, browser):
    """Not a rule, a look: the pages as people meet them, kept in test-artifacts/ for review."""
    ids = _queue(app)
    customer = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    customer.goto(f"{live_server}/v/{ids['token']}")
    expect(customer.locator(".rating__done")).to_contain_text("签字时已评价")  # asked on the phone already
    customer.get_by_label("未解决").check()
    customer.get_by_label("补充说明(选填)").fill("卧室还是不热")
    shoot(customer, "verify-form")
    customer.get_by_role("button", name="提交", exact=True).click()
    expect(customer.locator(".rating__next")).to_contain_text("客服人员会尽快给您回电")
    shoot(customer, "verify-rated")

    desk = open_desk(browser, live_server, "backoffice")
    desk.goto(f"{live_server}/callbacks")
    expect(desk.locator("tr.callback--flagged")).to_contain_text("客户扫码反映未解决")
    shoot(desk, "queue-flagged")
    desk.locator("tr.callback--flagged").get_by_role("link", name=re.compile("^回访")).click()
    desk.get_by_label("情况").fill("无人接听")
    desk.get_by_role("button", name="记录未接通").click()
    expect(desk.locator("tr.callback--flagged")).to_contain_text("未接通 1 次")
    desk.locator("tr.callback--flagged").get_by_role("link", name=re.compile("^回访")).click()
    shoot(desk, "work-flagged")

    admin = open_desk(browser, live_server, "admin")
    admin.goto(f"{live_server}/admin/clocks")
    shoot(admin, "clock-policies")
    assert desk.problems == [] and admin.problems == []

