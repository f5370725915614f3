"""`flask demo load`: realistic data made through the services, loaded twice without adding anything."""
import re

import click
import pytest
from sqlalchemy import func

from app.auth.services import authenticate
from app.demo import data
from app.demo.loader import load_demo
from app.extensions import db
from app.localtime import now_utc
from app.materials import services as stock
from app.materials.demo import CATALOGUE
from app.materials.models import Material, StockLevel, StockLocation, StockMovement
from app.work_orders.appointments import is_night
from app.work_orders.models import WorkOrder
from app.work_orders.vocabulary import CATEGORIES, OPEN_STATUSES, STATUSES


def _counts():
    return {
        table.name: db.session.execute(db.select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def _orders():
    return db.session.execute(db.select(WorkOrder)).scalars().all()


def test_a_second_load_adds_nothing_and_prints_the_same_logins(ctx):
    first, second = [], []
    load_demo(first.append)
    counts = _counts()
    load_demo(second.append)
    assert _counts() == counts
    assert first == second and any(data.PASSWORD in line for line in first)
    assert (counts["branches"], counts["areas"], counts["users"]) == (2, 4, 11)  # storekeepers included
    assert (counts["households"], counts["work_orders"]) == (data.HOUSEHOLD_COUNT, len(data.ORDERS))


def test_the_demo_has_a_catalogue_stock_a_month_of_movements_and_books_that_agree(ctx):
    load_demo(lambda _line: None)
    kinds = set(db.session.execute(db.select(StockMovement.kind)).scalars())
    assert kinds >= {"receipt", "issue", "return", "write_off", "adjust", "consume"}
    assert db.session.execute(db.select(func.count()).select_from(Material)).scalar_one() == len(CATALOGUE)
    assert db.session.execute(db.select(func.count()).select_from(StockLocation)).scalar_one() == 2 + 6
    for level in db.session.execute(db.select(StockLevel)).scalars():
        place, material = db.session.get(StockLocation, level.location_id), db.session.get(Material, level.material_id)
        assert level.on_hand_centi == stock.ledger_sum(place, material)


def test_orders_cover_every_status_and_category_with_overdue_ones(ctx):
    load_demo(lambda _line: None)
    orders, now = _orders(), now_utc()
    assert {o.status for o in orders} == set(STATUSES)
    assert {o.category for o in orders} == set(CATEGORIES)
    overdue = [o for o in orders if o.status in OPEN_STATUSES and o.next_due_at and o.next_due_at < now]
    assert len(overdue) >= 3


def test_orders_tell_a_consistent_story(ctx):
    load_demo(lambda _line: None)
    now = now_utc()
    for order in _orders():
        moments = [change.at for change in order.history]
        assert moments[0] == order.created_at and moments == sorted(moments) and moments[-1] <= now
        assert order.appointment_at is None or not is_night(order.appointment_at)
        if order.technician is not None:
            assert order.technician.branch_id == order.branch_id


def test_demo_logins_sign_in(ctx):
    load_demo(lambda _line: None)
    for username in ("admin", "dispatcher", "backoffice", "T1001", "T1006"):
        assert authenticate(username, data.PASSWORD) is not None


def test_refuses_to_load_into_production(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "SHIFU_ENV", "production")
    with pytest.raises(click.ClickException):
        load_demo(lambda _line: None)
    assert _counts()["users"] == 0


def test_finished_visits_have_signed_slips_inside_their_visit_and_intact(ctx):
    import json

    from app.service_slips.models import Slip
    from app.service_slips.services import verify_integrity

    load_demo(lambda _line: None)
    slips = db.session.execute(db.select(Slip)).scalars().all()
    assert len(slips) >= 5 and any(s.charged for s in slips) and any(not s.charged for s in slips)
    for slip in slips:
        visit, order = slip.visit, slip.work_order
        assert verify_integrity(slip)
        assert order.arrived_at <= slip.signed_at <= visit.finished_at <= order.done_at
        assert len(json.loads(slip.content)["photos"]) == 3  # the default photo rules, all met
    own = [s for s in slips if any(line.supplied_by == "customer" for line in (s.quote.lines if s.quote else []))]
    assert own and all(any(line.added_for_own_materials for line in s.quote.lines) for s in own)


def test_an_orders_number_names_the_day_it_was_opened(ctx):
    from app.localtime import to_local

    load_demo(lambda _line: None)
    orders = _orders()
    assert len({to_local(o.created_at).date() for o in orders}) > 5  # the demo spans weeks
    for order in orders:
        assert order.number[2:8] == to_local(order.created_at).strftime("%y%m%d"), order.number
    by_day = {}
    for order in sorted(orders, key=lambda o: o.created_at):
        by_day.setdefault(order.number[2:8], []).append(int(order.number[8:]))
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_day.values())


def test_the_history_names_the_appointment_the_order_has(ctx):
    from app.work_orders.appointments import appointment_note

    load_demo(lambda _line: None)
    booked = [o for o in _orders() if o.appointment_at is not None]
    assert booked
    for order in booked:
        notes = [change.note for change in order.history if change.action == "appoint"]
        assert notes == [appointment_note(None, order.appointment_at)], order.number


def test_the_readme_tells_the_demos_figures():
    import re
    from pathlib import Path

    from app.price_list.demo import ITEMS

    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    assert re.search(r"(\d+) households and (\d+) work orders", readme).groups() == (
        str(data.HOUSEHOLD_COUNT), str(len(data.ORDERS)))
    assert re.search(r"a published price list of (\d+) items", readme).group(1) == str(len(ITEMS))
    estates = sum(len(names) for areas in data.AREAS.values() for names in areas.values())
    assert re.search(r"(\d+) estates", readme).group(1) == str(estates)


def test_each_desk_login_is_told_only_of_pages_that_exist(ctx):
    """What the login list says each desk role sees names pages of the menu, not promises."""
    pages = {"价目表", "设置", "组织架构", "人员", "时限", "节假日", "拍照", "室温标准", "调度", "考核", "测温",
             "受理来电", "派单看板", "全部工单", "回访", "对账", "关闭工单"}
    for _username, _name, _role, _phone, sees in data.DESK_USERS:
        named = [word.strip() for word in re.split(r"[:、,和以及()]+", sees.split(":", 1)[1]) if word.strip()]
        assert set(named) <= pages, named
