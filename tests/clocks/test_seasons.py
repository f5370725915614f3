"""Late arrival (000 九.五, 003 入户服务规范 2): a technician not yet on his way tells the customer, an hour before
the appointment in the heating season and a day before outside it; the order keeps when he said so."""
import uuid
from datetime import date, timedelta

import pytest

from app.clocks import seasons
from app.errors import ValidationFailed
from app.extensions import db
from app.localtime import now_utc
from app.work_orders.models import WorkOrder
from app.work_orders.services import available_actions
from tests import factories


@pytest.mark.parametrize(("day", "inside"), [
    (date(2026, 11, 14), False), (date(2026, 11, 15), True), (date(2027, 1, 20), True),
    (date(2027, 3, 15), True), (date(2027, 3, 16), False), (date(2027, 7, 1), False),
])
def test_the_default_season_runs_15_november_to_15_march(ctx, day, inside):
    assert seasons.in_season(day) is inside


def test_a_season_the_company_sets_for_a_year_replaces_the_default_for_that_year(ctx):
    admin = factories.user("admin")
    seasons.set_season(admin, date(2026, 11, 1), date(2027, 3, 31))
    assert seasons.in_season(date(2026, 11, 5)) and seasons.in_season(date(2027, 3, 25))
    assert not seasons.in_season(date(2026, 10, 31))
    assert seasons.in_season(date(2027, 11, 20))  # the next year still runs by default
    seasons.set_season(admin, date(2026, 11, 10), date(2027, 3, 20))  # the same year again: replaced
    assert not seasons.in_season(date(2026, 11, 5)) and len(seasons.seasons()) == 1


def test_a_season_that_ends_before_it_starts_is_refused(ctx):
    with pytest.raises(ValidationFailed):
        seasons.set_season(factories.user("admin"), date(2027, 3, 15), date(2026, 11, 15))


def booked(hours_from_now, status="accepted"):
    area = factories.area()
    tech = factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area)), technician_=tech)
    if status != "dispatched":
        factories.advance(order, tech, "accept")
    order.appointment_at = now_utc() + timedelta(hours=hours_from_now)
    db.session.flush()
    return order, tech


def test_an_appointment_is_at_risk_when_its_notice_time_comes_and_the_technician_has_not_set_off(ctx, monkeypatch):
    monkeypatch.setattr(seasons, "in_season", lambda _day: True)  # an hour's notice
    soon, tech = booked(0.5)
    later, _ = booked(3)
    assert seasons.late_risk(soon) == "at_risk" and seasons.late_risk(later) is None
    assert "tell" in available_actions(soon, tech) and "tell" not in available_actions(later, tech)
    monkeypatch.setattr(seasons, "in_season", lambda _day: False)  # outside the season: a day's notice
    assert seasons.late_risk(later) == "at_risk"


def test_telling_the_customer_is_kept_with_its_time_and_ends_the_risk(app, client, world, monkeypatch):
    monkeypatch.setattr(seasons, "in_season", lambda _day: True)
    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        order.appointment_at = now_utc() + timedelta(minutes=40)
        db.session.commit()
    phone = world.as_(client, "technician")
    answer = phone.post("/api/v1/commands", json={"client_uuid": str(uuid.uuid4()), "type": "transition",
                                                  "work_order_id": world["order"], "payload": {"action": "tell"}})
    assert answer.status_code == 200
    body = answer.get_json()["work_order"]
    assert body["customer_told_at"] and body["late_risk"] == "told"
    assert [h["action_label"] for h in body["history"]][-1] == "已告知客户可能迟到"
    board = world.as_(client, "dispatcher").get("/dispatch/board").get_data(as_text=True)
    assert "已告知客户" in board and "未告知客户" not in board


def test_the_board_shows_an_appointment_at_risk_not_yet_told(app, client, world, monkeypatch):
    monkeypatch.setattr(seasons, "in_season", lambda _day: True)
    with app.app_context():
        db.session.get(WorkOrder, world["order"]).appointment_at = now_utc() + timedelta(minutes=20)
        db.session.commit()
    board = world.as_(client, "dispatcher").get("/dispatch/board").get_data(as_text=True)
    assert "迟到风险 · 未告知客户" in board


def test_the_admin_sets_the_season_on_the_calendar_page(app, client, world):
    desk = world.as_(client, "admin")
    assert "保存供暖季" in desk.get("/admin/calendar").get_data(as_text=True)
    answer = desk.post("/admin/calendar/season", data={"starts_on": "2026-11-01", "ends_on": "2027-03-31"})
    assert answer.status_code == 302
    with app.app_context():
        assert seasons.in_season(date(2026, 11, 2))


def test_every_action_an_order_offers_is_one_its_transition_endpoint_takes(app, client, world, monkeypatch):
    """allowed_actions offered 已告知客户 while the API's schema did not know the action: a 422 for a button."""
    monkeypatch.setattr(seasons, "in_season", lambda _day: True)
    with app.app_context():
        db.session.get(WorkOrder, world["order"]).appointment_at = now_utc() + timedelta(minutes=20)
        db.session.commit()
    desk = world.as_(client, "dispatcher")
    offered = desk.get(f"/api/v1/work-orders/{world['order']}").get_json()["allowed_actions"]
    assert "tell" in offered
    answer = desk.post(f"/api/v1/work-orders/{world['order']}/transitions", json={"action": "tell"})
    assert answer.status_code == 200 and answer.get_json()["late_risk"] == "told"
