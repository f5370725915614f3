"""The dispatch desk as a dispatcher uses it: intake, board, order page, clock settings."""
from app.extensions import db
from app.households.models import Household
from app.work_orders.models import WorkOrder


def _orders(app):
    with app.app_context():
        return db.session.execute(db.select(WorkOrder).order_by(WorkOrder.id)).scalars().all()


def test_a_phone_call_becomes_a_dispatched_leak_order_with_the_branch_alerted(app, client, world):
    c = world.as_(client, "dispatcher")
    response = c.post("/dispatch/intake", data={
        "household_id": world["household"], "channel": "hotline", "category": "urgent_leak",
        "description": "卫生间暖气片跑水", "technician_id": world["technician"]}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "紧急跑水:请立即电话通知" in page and "已派给" in page
    order = _orders(app)[-1]
    assert order.category == "urgent_leak" and order.technician_id == world["technician"]
    assert round((order.on_site_due_at - order.created_at).total_seconds() / 60) == 30


def test_intake_with_a_missing_description_says_so_and_saves_nothing(app, client, world):
    before = len(_orders(app))
    response = world.as_(client, "dispatcher").post("/dispatch/intake", data={
        "household_id": world["household"], "channel": "hotline", "category": "repair", "description": " "})
    assert response.status_code == 422
    assert "此项必填" in response.get_data(as_text=True)
    assert len(_orders(app)) == before


def test_intake_creates_a_new_household_with_the_order(app, client, world):
    with app.app_context():
        estate_id = db.session.get(Household, world["household"]).estate_id
    response = world.as_(client, "dispatcher").post("/dispatch/intake", data={
        "account_number": "0909090909", "name": "赵先生", "phone": "13700001234", "estate_id": estate_id,
        "building": "7", "unit": "3", "room": "1102", "channel": "visit", "category": "repair",
        "description": "客厅不热"})
    assert response.status_code == 302
    with app.app_context():
        household_id = db.session.execute(db.select(Household.id).filter_by(account_number="0909090909")).scalar_one()
    assert _orders(app)[-1].household_id == household_id


def test_intake_without_a_household_asks_for_one(app, client, world):
    response = world.as_(client, "dispatcher").post("/dispatch/intake", data={
        "channel": "hotline", "category": "repair", "description": "不热"})
    assert response.status_code == 422 and "请先查找并选择热用户" in response.get_data(as_text=True)


def test_a_failed_intake_keeps_no_half_made_household(app, client, world):
    with app.app_context():
        estate_id = db.session.get(Household, world["household"]).estate_id
    response = world.as_(client, "dispatcher").post("/dispatch/intake", data={
        "account_number": "0808080808", "name": "钱女士", "phone": "13700004321", "estate_id": estate_id,
        "building": "1", "unit": "1", "room": "101", "channel": "hotline", "category": "", "description": "不热"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.execute(db.select(Household).filter_by(account_number="0808080808")).first() is None


def test_the_board_lists_open_orders_nearest_deadline_first_and_marks_overdue_red(app, client, world):
    from tests import factories

    with app.app_context():
        leak = factories.work_order(db.session.get(Household, world["household"]), category="urgent_leak")
        factories.age(leak, 40)
        db.session.commit()
        leak_number = leak.number
    page = world.as_(client, "dispatcher").get("/dispatch/board?clear=1").get_data(as_text=True)
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert leak_number in first_row
    assert "row--overdue" in first_row and "tag--urgent" in first_row and "紧急" in first_row


def test_board_filters_stick_until_cleared(app, client, world):
    c = world.as_(client, "dispatcher")
    c.get("/dispatch/board?filtered=1&category=complaint")
    assert 'value="complaint" selected' in c.get("/dispatch/board").get_data(as_text=True)
    assert 'value="complaint" selected' not in c.get("/dispatch/board?clear=1").get_data(as_text=True)


def test_a_filter_that_does_not_parse_is_dropped_with_a_message_and_the_good_ones_kept(app, client, world):
    c = world.as_(client, "dispatcher")
    for bad in ("branch_id=%C2%B2", "branch_id=99999999999999999999", "status=bogus", "technician_id=-3"):
        page = c.get(f"/dispatch/board?filtered=1&category=complaint&{bad}")
        assert page.status_code == 200 and "筛选条件有误,已忽略" in page.get_data(as_text=True)
        again = c.get("/dispatch/board").get_data(as_text=True)  # the bad one is not kept in the session
        assert "筛选条件有误" not in again and 'value="complaint" selected' in again


def test_a_technician_id_that_is_not_a_number_is_refused_not_a_crash(app, client, world):
    c = world.as_(client, "dispatcher")
    for bad in ("²", "99999999999999999999"):
        page = c.post(f"/work-orders/{world['order']}/assign", data={"technician_id": bad}, follow_redirects=True)
        assert page.status_code in (200, 422)


def test_the_order_page_refuses_a_second_reschedule_with_a_message(app, client, world):
    c = world.as_(client, "dispatcher")
    url = f"/work-orders/{world['order']}/appointment"
    c.post(url, data={"appointment_at": "2099-01-05T10:00"})
    c.post(url, data={"appointment_at": "2099-01-06T10:00"})
    page = c.post(url, data={"appointment_at": "2099-01-07T10:00"}, follow_redirects=True).get_data(as_text=True)
    assert "预约已改过一次,不能再改" in page
    with app.app_context():
        assert db.session.get(WorkOrder, world["order"]).appointment_moves == 1


def test_reassigning_from_the_order_page_keeps_history(app, client, world):
    c = world.as_(client, "dispatcher")
    c.post(f"/work-orders/{world['order']}/assign", data={"technician_id": world["other_technician"]})
    page = c.get(f"/work-orders/{world['order']}").get_data(as_text=True)
    assert "改派" in page and "派单" in page
    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        assert [c.action for c in order.history] == ["open", "dispatch", "reassign"]


def test_admin_changes_a_clock_and_bad_input_is_explained(app, client, world):
    c = world.as_(client, "admin")
    c.post("/admin/clocks/repair", data={"contact_minutes": "30", "on_site_minutes": "30"})
    page = c.post("/admin/clocks/repair", data={"on_site_minutes": "半小时"}, follow_redirects=True)
    assert "时限须为正整数" in page.get_data(as_text=True)
    from app.clocks.services import policy_for

    with app.app_context():
        assert policy_for("repair").on_site_minutes == 30


def test_household_search_finds_by_account_phone_and_address(client, world):
    c = world.as_(client, "dispatcher")
    for query in ("0101020301", "13812345678", "5678", "幸福里 3 2 501"):
        found = c.get("/api/v1/households", query_string={"q": query}).get_json()
        assert [h["id"] for h in found] == [world["household"]], query
    assert c.get("/api/v1/households", query_string={"q": "幸福里 9 9 999"}).get_json() == []
