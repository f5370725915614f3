"""At the desk with a keyboard: filter the list, add items one after another, publish after confirming."""
import re

from playwright.sync_api import expect

from app.extensions import db
from app.price_list import services
from tests import factories
from tests.conftest import open_desk
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft


def _draft(app):
    with app.app_context():
        admin = factories.user("admin", username="pricing-admin", name="周明")
        version_id = draft(admin, [VALVE, BASIC_FEE, LABOUR]).id
        db.session.commit()
        return version_id


def test_the_admin_filters_adds_by_keyboard_and_publishes(app, live_server, browser):
    version_id = _draft(app)
    desk = open_desk(browser, live_server, "pricing-admin")
    problems = desk.problems
    desk.goto(f"{live_server}/price-list/{version_id}")

    desk.get_by_label("筛选").fill("dn20")
    expect(desk.locator("#price-items tr[data-filter-text]:visible")).to_have_count(1)
    desk.get_by_label("筛选").press("Escape")
    expect(desk.locator("#price-items tr[data-filter-text]:visible")).to_have_count(3)

    desk.locator("#add-code").fill("PJ-001")
    for text in ("铜球阀", "DN15", "个"):
        desk.keyboard.press("Tab")
        desk.keyboard.type(text)
    desk.get_by_label("类别", exact=True).last.select_option(label="配件")
    desk.locator("#add-price").fill("35")
    desk.locator("#add-price").press("Enter")
    expect(desk.locator(".flash--success")).to_contain_text("已添加 PJ-001")
    expect(desk.locator("#add-code")).to_be_focused()
    expect(desk.locator("#price-items")).to_contain_text("¥35.00")

    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="发布", exact=True).click()
    expect(desk.locator(".flash--success")).to_contain_text(re.compile("已发布,自 .* 起生效"))
    expect(desk.locator("h1 .tag")).to_have_text("现行")
    assert problems == []
    with app.app_context():
        assert services.version_in_force().id == version_id
