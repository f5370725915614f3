"""Callback windows from the policy (domain.md “Callback”): repairs once 48 h have passed since completion
(then within a day); paid service within 24 h and never 20:00–08:00 Beijing time. Expected times are
worked out by hand, in Beijing time."""
from datetime import timedelta

import pytest

from app.callbacks import queue
from app.callbacks import services as callbacks
from app.callbacks.windows import window
from app.clocks import services as clocks
from app.clocks.models import ClockPolicy
from app.extensions import db
from tests.conftest import beijing, sign_in


@pytest.mark.parametrize(("completed", "due_from", "due_by"), [
    # 19:50: ten minutes of the evening, then the next day until 19:50.
    (beijing(2026, 11, 25, 19, 50), beijing(2026, 11, 25, 19, 50), beijing(2026, 11, 26, 19, 50)),
    # 21:00: nobody is called tonight; from 08:00 tomorrow, and 24 h later is 21:00, so by 20:00.
    (beijing(2026, 11, 25, 21, 0), beijing(2026, 11, 26, 8, 0), beijing(2026, 11, 26, 20, 0)),
    # 03:00 (a night leak): from 08:00 the same morning; 24 h later is 03:00 again, so by 20:00 that day.
    (beijing(2026, 11, 25, 3, 0), beijing(2026, 11, 25, 8, 0), beijing(2026, 11, 25, 20, 0)),
    # 20:00 sharp is night already; 08:00 sharp is day.
    (beijing(2026, 11, 25, 20, 0), beijing(2026, 11, 26, 8, 0), beijing(2026, 11, 26, 20, 0)),
    (beijing(2026, 11, 25, 8, 0), beijing(2026, 11, 25, 8, 0), beijing(2026, 11, 26, 8, 0)),
])
def test_paid_service_is_called_back_within_24_hours_never_at_night(ctx, completed, due_from, due_by):
    assert window(completed, 24, daytime_only=True) == (due_from, due_by)


def test_a_repair_is_called_back_after_48_hours_night_or_not(ctx):
    completed = beijing(2026, 11, 25, 21, 0)
    assert window(completed, 24, daytime_only=False, after_hours=48) == (
        beijing(2026, 11, 27, 21, 0), beijing(2026, 11, 28, 21, 0))


def test_a_delayed_window_that_opens_at_night_waits_for_the_morning(ctx):
    # Completed 23:30; 48 h later is 23:30 again: from 08:00 the day after, and 24 h on is 23:30, so by 20:00.
    assert window(beijing(2026, 11, 25, 23, 30), 24, daytime_only=True, after_hours=48) == (
        beijing(2026, 11, 28, 8, 0), beijing(2026, 11, 28, 20, 0))


def test_a_short_window_wholly_in_the_night_moves_to_the_next_morning(ctx):
    assert window(beijing(2026, 11, 25, 21, 0), 2, daytime_only=True) == (
        beijing(2026, 11, 26, 8, 0), beijing(2026, 11, 26, 10, 0))


def test_the_defaults_follow_the_seeds(ctx):
    clocks.ensure_default_policies()
    hours = {p.category: (p.callback_after_hours, p.callback_hours, p.callback_daytime_only)
             for p in db.session.execute(db.select(ClockPolicy)).scalars()}
    assert hours == {"repair": (48, 24, False), "urgent_leak": (48, 24, False),
                     "temperature_check": (0, 48, False), "complaint": (0, 48, False),
                     "paid_service": (0, 24, True), "consultation": (0, None, False)}


def test_completion_makes_the_task_with_the_window_of_its_category(company):
    repair, paid = company.completed("repair"), company.completed("paid_service")
    task = callbacks.pending_for(repair)
    assert (task.round, task.completed_at) == (1, repair.done_at)
    assert task.due_from == repair.done_at + timedelta(hours=48)
    assert task.due_by == repair.done_at + timedelta(hours=72)
    expected = window(paid.done_at, 24, daytime_only=True)
    assert (callbacks.pending_for(paid).due_from, callbacks.pending_for(paid).due_by) == expected


def test_the_window_is_a_setting_for_orders_completed_afterwards(company):
    before = company.completed("repair")
    clocks.update_policy(company.admin, "repair", {"contact_minutes": 30, "on_site_minutes": 120,
                                                   "fixed_minutes": 1440}, False, {"hours": 12, "daytime_only": True})
    after = company.completed("repair")
    assert callbacks.pending_for(before).due_by == before.done_at + timedelta(hours=72)
    assert (callbacks.pending_for(after).due_from, callbacks.pending_for(after).due_by) == window(
        after.done_at, 12, daytime_only=True)


def test_a_paid_service_callback_is_not_offered_at_night_inside_its_window_and_a_repair_is(company):
    paid, repair = callbacks.pending_for(company.completed("paid_service")), callbacks.pending_for(
        company.completed("repair"))
    paid.due_from, paid.due_by = beijing(2026, 11, 25, 19, 50), beijing(2026, 11, 26, 19, 50)
    repair.due_from, repair.due_by = beijing(2026, 11, 25, 19, 50), beijing(2026, 11, 26, 19, 50)
    late_evening, morning = beijing(2026, 11, 25, 23, 0), beijing(2026, 11, 26, 8, 0)
    assert (paid.daytime_only, repair.daytime_only) == (True, False)  # from the category's policy
    assert queue.due_state(paid, late_evening) == queue.DueState("waiting", "夜间不打扰,11-26 08:00 后可回访")
    assert queue.due_state(repair, late_evening).state == "ok"
    assert queue.due_state(paid, morning) == queue.DueState("ok", "还剩 11 小时 50 分钟")


def test_a_category_without_callback_hours_makes_no_task(company):
    clocks.update_policy(company.admin, "repair", {}, False, {"hours": None, "daytime_only": False})
    assert callbacks.pending_for(company.completed("repair")) is None


def test_the_admin_edits_the_window_on_the_clocks_page(app, client, company):
    db.session.commit()
    sign_in(client, company.admin)
    page = client.get("/admin/clocks").get_data(as_text=True)
    assert "完工后开始回访(小时)" in page and "回访时限(小时)" in page and "仅白天回访" in page
    saved = client.post("/admin/clocks/repair", data={"contact_minutes": "30", "on_site_minutes": "120",
                                                       "fixed_minutes": "1440", "callback_hours": "36",
                                                       "callback_after_hours": "24", "callback_daytime_only": "1"})
    assert saved.status_code == 302
    refused = client.post("/admin/clocks/complaint", data={"callback_hours": "0"}, follow_redirects=True)
    assert "回访时限须为" in refused.get_data(as_text=True)
    too_long = client.post("/admin/clocks/repair", data={"contact_minutes": "99999999999999999999"},
                           follow_redirects=True)
    assert too_long.status_code == 200 and "时限须为正整数" in too_long.get_data(as_text=True)
    for bad in ("-1", "²", "1e3"):
        page = client.post("/admin/clocks/complaint", data={"callback_hours": "48", "callback_after_hours": bad},
                           follow_redirects=True)
        assert page.status_code == 200 and "须为正整数" in page.get_data(as_text=True)
    with app.app_context():
        repair = clocks.policy_for("repair")
        assert (repair.callback_after_hours, repair.callback_hours, repair.callback_daytime_only) == (24, 36, True)
        assert clocks.policy_for("complaint").callback_hours == 48
