"""找: the desk's one box finds orders in every state and households, by 工单号, slip serial, 户号, phone or address."""
import pytest

from app.auth.models import User
from app.extensions import db
from app.work_orders.models import WorkOrder
from app.work_orders.services import cancel


@pytest.fixture
def closed(app, world):
    """The world's second order cancelled: found all the same."""
    with app.app_context():
        order = db.session.get(WorkOrder, world["other_order"])
        cancel(order, db.session.get(User, world["dispatcher"]), "客户撤单")
        db.session.commit()
        return order.number


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "admin"])
def test_a_full_order_number_opens_the_order_even_when_cancelled(app, client, world, closed, role):
    answer = world.as_(client, role).get("/search", query_string={"q": f"  {closed.lower()} "})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/work-orders/{world['other_order']}")


def test_a_slip_serial_opens_its_order(app, client, shop):
    from app.service_slips.models import Slip
    from tests.service_slips.conftest import as_user

    with app.app_context():
        slip = db.session.get(Slip, shop["slip"])
        serial, order_id = slip.serial, slip.work_order_id
    answer = as_user(client, shop["back_office"]).get("/search", query_string={"q": serial})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/work-orders/{order_id}")


@pytest.mark.parametrize("query", ["0101020301", "13812345678", "1381234"])
def test_an_account_number_or_phone_finds_the_household_and_all_its_orders(app, client, world, closed, query):
    page = world.as_(client, "dispatcher").get("/search", query_string={"q": query}).get_data(as_text=True)
    with app.app_context():
        open_number = db.session.get(WorkOrder, world["order"]).number
    assert open_number in page and closed in page and "已取消" in page
    assert "0101020301" in page and "为该户受理来电" in page


def test_nothing_found_says_so(client, world):
    page = world.as_(client, "dispatcher").get("/search", query_string={"q": "GD9901010001"}).get_data(as_text=True)
    assert "没有找到“GD9901010001”" in page


def test_the_search_box_is_on_every_desk_page_and_technicians_cannot_use_it(client, world):
    desk = world.as_(client, "back_office").get("/callbacks").get_data(as_text=True)
    assert 'role="search"' in desk and 'accesskey="k"' in desk
    assert world.as_(client, "technician").get("/search?q=1").status_code == 403
