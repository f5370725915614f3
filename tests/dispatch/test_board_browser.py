"""The board as a dispatcher uses it: an on-site order says how long the technician has been there, and a
click anywhere on a row opens the order."""
import re

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.conftest import open_desk


def test_an_on_site_order_shows_its_time_there_and_a_whole_row_opens_it(app, live_server, browser):
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area)
        order = factories.work_order(factories.household(factories.estate(area, name="春华里")), technician_=tech)
        factories.advance(order, tech, "accept", "depart", "arrive")
        factories.age(order, 40)  # arrived 40 minutes ago
        factories.user("dispatcher", username="dispatcher")
        db.session.commit()
        order_id = order.id
    desk = open_desk(browser, live_server, "dispatcher")
    desk.goto(f"{live_server}/dispatch/board")
    row = desk.locator("tr[data-href]").filter(has_text="春华里")
    expect(row.locator("[data-since]")).to_have_text(re.compile(r"^已到场 (39|40|41) 分钟$"))
    row.locator("td").nth(5).click()  # the branch cell: not a link
    expect(desk).to_have_url(re.compile(rf"/work-orders/{order_id}$"))
    assert desk.problems == []
