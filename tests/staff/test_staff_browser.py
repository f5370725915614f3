"""What a person sees: an admin deactivating a technician whose open orders are handed to a colleague in the
same step (the phone's first password: tests/field/test_first_password.py)."""
from playwright.sync_api import expect

from app.auth.models import User
from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.work_orders.models import WorkOrder
from tests import factories
from tests.conftest import open_desk


def test_an_admin_deactivates_a_technician_and_hands_the_open_orders_to_a_colleague(app, live_server, browser):
    with app.app_context():
        ensure_default_policies()
        area = factories.area()
        leaving = factories.technician(area, name="李离职", badge_number="T3001")
        colleague = factories.technician(area, name="王接手", badge_number="T3002")
        orders = [factories.work_order(factories.household(factories.estate(area)), technician_=leaving).id
                  for _ in range(2)]
        factories.user("admin", username="boss")
        db.session.commit()
        leaving_id, colleague_id = leaving.id, colleague.id
    desk = open_desk(browser, live_server, "boss")
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.goto(f"{live_server}/admin/staff/{leaving_id}")
    section = desk.locator("#deactivate")
    expect(section).to_contain_text("还有 2 张未完成的工单")
    section.get_by_label("全部改派给").select_option(label="王接手(T3002)")
    section.get_by_role("button", name="改派并停用").click()
    expect(desk.locator(".flash--success")).to_contain_text("李离职已停用,2 张未完成的工单已改派")
    with app.app_context():
        assert not db.session.get(User, leaving_id).active
        assert {db.session.get(WorkOrder, o).technician_id for o in orders} == {colleague_id}
    assert desk.problems == []
