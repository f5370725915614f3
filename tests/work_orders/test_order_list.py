"""全部工单: every state (closed and cancelled too), filters that stick to the page and the export, XLSX."""
import io

from openpyxl import load_workbook

from app.auth.models import User
from app.extensions import db
from app.work_orders.models import WorkOrder
from app.work_orders.services import cancel
from tests import factories
from tests.conftest import beijing


def cancelled_one(app, world):
    with app.app_context():
        order = db.session.get(WorkOrder, world["other_order"])
        cancel(order, db.session.get(User, world["dispatcher"]), "客户撤单")
        order.created_at = beijing(2026, 11, 3, 9)
        db.session.commit()
        return order.number


def test_the_list_shows_orders_in_every_state_newest_first(app, client, world):
    number = cancelled_one(app, world)
    page = world.as_(client, "back_office").get("/work-orders").get_data(as_text=True)
    assert number in page and "已取消" in page
    with app.app_context():
        newest = db.session.get(WorkOrder, world["order"]).number
    assert page.index(newest) < page.index(number)


def test_filters_by_status_and_opening_dates_and_the_export_follows_them(app, client, world):
    number = cancelled_one(app, world)
    desk = world.as_(client, "dispatcher")
    page = desk.get("/work-orders?status=cancelled&opened_from=2026-11-01&opened_to=2026-11-30").get_data(as_text=True)
    assert number in page and "共 1 张" in page
    assert "共 0 张" in desk.get("/work-orders?status=cancelled&opened_from=2026-12-01").get_data(as_text=True)
    answer = desk.get("/work-orders/export.xlsx?status=cancelled&opened_from=2026-11-01")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("工单号", "受理时间", "受理渠道", "类别", "状态")
    assert [row[0] for row in rows[1:]] == [number] and rows[1][4] == "已取消"


def test_a_filter_that_does_not_read_is_dropped_with_a_message(client, world):
    answer = world.as_(client, "dispatcher").get("/work-orders?opened_from=昨天&branch_id=99999999999999")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "已忽略" in page and "受理起始日" in page


def test_the_list_pages_fifty_at_a_time(app, client, world):
    with app.app_context():
        household = db.session.get(WorkOrder, world["order"]).household
        for _ in range(55):
            factories.work_order(household)
        db.session.commit()
    desk = world.as_(client, "dispatcher")
    first = desk.get("/work-orders").get_data(as_text=True)
    assert "第 1 / 2 页" in first and first.count('data-href="/work-orders/') == 50
    second = desk.get("/work-orders?page=2").get_data(as_text=True)
    assert second.count('data-href="/work-orders/') == 7


def test_technicians_do_not_use_the_desk_list(client, world):
    assert world.as_(client, "technician").get("/work-orders").status_code == 403


def test_the_api_counts_every_order_when_nothing_filters_them(app, client, world):
    """total was 1 for ?open=false: the count lost its FROM when no condition named the orders' table."""
    page = world.as_(client, "dispatcher").get("/api/v1/work-orders?open=false").get_json()
    assert page["total"] == 2 and len(page["items"]) == 2
