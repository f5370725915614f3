"""The storekeeper's desk: movements where the rules put them (one branch, a technician of it, a day not in a
closed month nor to come), the stock count, the month-end close, and the pages and forms themselves."""
from datetime import date, timedelta

import pytest

from app.auth.models import User
from app.errors import Forbidden, RuleBroken
from app.extensions import db
from app.localtime import local_today
from app.materials import consumption, desk, periods
from app.materials import services as stock
from app.materials.models import ADJUST, Material, StockMovement
from tests import factories
from tests.materials.conftest import client_as, on_site


def wanted(stocked, kind, code="PJ-002", quantity=100, **more):
    return {"kind": kind, "branch_id": stocked.branch.id, "material_id": stocked.materials[code].id,
            "quantity_centi": quantity, "technician_id": None, "to_technician_id": None, "reason": None,
            "booked_on": None, **more}


def count_movements():
    return db.session.execute(db.select(db.func.count()).select_from(StockMovement)).scalar_one()


def test_each_desk_movement_goes_where_its_kind_says(stocked):
    keeper = factories.user("storekeeper", branch_=stocked.branch)
    other = factories.technician(stocked.area)
    valve = stocked.materials["PJ-002"]
    desk.desk_move(keeper, wanted(stocked, "receipt", quantity=1000))
    desk.desk_move(keeper, wanted(stocked, "issue", quantity=300, technician_id=stocked.tech.id))
    desk.desk_move(keeper, wanted(stocked, "return", quantity=100, technician_id=stocked.tech.id))
    desk.desk_move(keeper, wanted(stocked, "transfer", quantity=200, technician_id=stocked.tech.id,
                                   to_technician_id=other.id))
    desk.desk_move(keeper, wanted(stocked, "write_off", quantity=100, reason="摔裂"))
    assert stock.on_hand(stocked.store, valve) == 10000 - 500 + 1000 - 300 + 100 - 100
    assert (stock.on_hand(stocked.van, valve), stock.on_hand(stock.van_of(other), valve)) == (500, 200)


@pytest.mark.parametrize("case", ["no_technician", "other_branch_technician", "write_off_without_reason",
                                  "too_much", "future_day", "fraction", "dispatcher_as_technician"])
def test_a_movement_against_the_rules_is_refused_and_nothing_is_written(stocked, case):
    keeper = factories.user("storekeeper", branch_=stocked.branch)
    stranger = factories.technician(factories.area(factories.branch(code="CX")))
    data = {
        "no_technician": wanted(stocked, "issue"),
        "other_branch_technician": wanted(stocked, "issue", technician_id=stranger.id),
        "write_off_without_reason": wanted(stocked, "write_off", reason="  "),
        "too_much": wanted(stocked, "issue", quantity=2000000, technician_id=stocked.tech.id),
        "future_day": wanted(stocked, "receipt", booked_on=local_today() + timedelta(days=1)),
        "fraction": wanted(stocked, "receipt", quantity=150),
        "dispatcher_as_technician": wanted(stocked, "issue", technician_id=factories.user("dispatcher").id),
    }[case]
    before = count_movements()
    with pytest.raises(RuleBroken if case != "write_off_without_reason" else Exception), db.session.begin_nested():
        desk.desk_move(keeper, data)
    assert count_movements() == before


def test_only_the_branchs_storekeeper_or_an_admin_moves_its_stock(stocked):
    elsewhere = factories.user("storekeeper", branch_=factories.branch(code="CX"))
    for actor in (elsewhere, factories.user("dispatcher"), factories.user("back_office"), stocked.tech):
        with pytest.raises(Forbidden), db.session.begin_nested():
            desk.desk_move(actor, wanted(stocked, "receipt"))
    desk.desk_move(stocked.admin, wanted(stocked, "receipt"))


def test_a_count_records_the_difference_as_one_adjustment(stocked):
    keeper = factories.user("storekeeper", branch_=stocked.branch)
    data = {"branch_id": stocked.branch.id, "material_id": stocked.materials["CL-010"].id,
            "technician_id": stocked.tech.id, "counted_centi": 425, "booked_on": None}
    adjustment = desk.desk_count(keeper, data)
    assert (adjustment.kind, adjustment.quantity_centi, adjustment.source_id) == (ADJUST, 75, stocked.van.id)
    assert "账面 5,实盘 4.25" in adjustment.reason
    assert desk.desk_count(keeper, data) is None  # agrees now: nothing to record


def test_a_closed_month_takes_no_movement_and_a_late_phone_record_goes_to_the_first_open_day(stocked):
    last_month_end = local_today().replace(day=1) - timedelta(days=1)
    periods.close_month(factories.user("back_office"), stocked.branch, last_month_end)
    before = count_movements()
    with pytest.raises(RuleBroken, match="已结"), db.session.begin_nested():
        desk.desk_move(stocked.admin, wanted(stocked, "receipt", booked_on=last_month_end))
    assert count_movements() == before
    assert periods.first_open_day(stocked.branch.id, last_month_end - timedelta(days=3)) == local_today().replace(day=1)
    order = on_site(stocked.area, stocked.tech)
    used = consumption.record_used(order, stocked.tech, stocked.materials["WX-001"].id, 100)
    assert used.booked_on >= local_today().replace(day=1)


def test_only_a_month_that_is_over_is_closed_and_only_by_the_back_office_or_an_admin(stocked):
    with pytest.raises(RuleBroken, match="已经过去"):
        periods.close_month(stocked.admin, stocked.branch, local_today())
    with pytest.raises(Forbidden):
        periods.close_month(factories.user("storekeeper", branch_=stocked.branch), stocked.branch, date(2020, 1, 1))
    periods.close_month(stocked.admin, stocked.branch, date(2020, 1, 15))
    assert periods.closed_through(stocked.branch.id) == date(2020, 1, 31)
    with pytest.raises(RuleBroken, match="已结账"):
        periods.close_month(stocked.admin, stocked.branch, date(2020, 1, 1))


def test_the_storekeeper_issues_from_the_desk_page_and_sees_the_van_go_up(app, depot):
    keeper = client_as(app, depot["keeper"])
    with app.app_context():
        today = local_today().isoformat()
    page = keeper.get("/stock")
    assert page.status_code == 200 and "城东分公司库房" in page.text and "张建军" in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = keeper.post("/stock/movements", data={
        "csrf_token": token, "kind": "issue", "material_id": str(depot["materials"]["CL-010"]), "quantity": "2.5",
        "technician_id": str(depot["tech"]), "booked_on": today})
    assert answer.status_code == 302
    refused = keeper.post("/stock/movements", data={
        "csrf_token": token, "kind": "issue", "material_id": str(depot["materials"]["PJ-002"]), "quantity": "1.5",
        "technician_id": str(depot["tech"])})
    assert refused.status_code == 409 and "须为整个" in refused.text
    with app.app_context():
        van = stock.van_of(db.session.get(User, depot["tech"]))
        assert stock.on_hand(van, db.session.get(Material, depot["materials"]["CL-010"])) == 750
        assert stock.on_hand(van, db.session.get(Material, depot["materials"]["PJ-002"])) == 500


def test_a_storekeeper_sees_only_their_own_branch_whatever_the_link_asks(app, depot):
    keeper = client_as(app, depot["other_keeper"])
    page = keeper.get(f"/stock?branch={depot['branch']}")
    assert "城西分公司库房" in page.text and "张建军" not in page.text
    assert keeper.get("/dispatch/board").status_code == 403
    assert keeper.get("/").headers["Location"].endswith("/stock")


def test_stock_pages_answer_every_desk_role_and_refuse_the_technician(app, depot):
    for role in ("admin", "dispatcher", "back_office"):
        desk = client_as(app, depot[role])
        for path in ("/stock", "/stock/movements", "/materials", "/reports/materials",
                     "/reports/materials?month=2020-01", f"/stock/movements?technician={depot['tech']}"):
            assert desk.get(path).status_code == 200, (role, path)
        assert desk.get("/reports/materials/export.xlsx").status_code == 200
    assert client_as(app, depot["tech"]).get("/stock").status_code == 403
