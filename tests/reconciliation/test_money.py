"""Money per technician and Beijing day: what the slips say was collected, by method, against what was handed in."""
from datetime import timedelta

import pytest

from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.localtime import local_today
from app.reconciliation import figures, money
from app.reconciliation.models import DayClose, Handover
from app.service_slips import services as slips
from app.service_slips.models import Slip
from tests import factories
from tests.conftest import counted_queries
from tests.reconciliation.conftest import VALVE_FEN, beijing, days_ago
from tests.service_slips.conftest import as_user


def _differences(numbers):
    return {method: line.difference for method, line in numbers.methods.items()}


def test_differences_are_flagged_per_method(office):
    day = days_ago(2)
    office.slip(beijing(day, "09:00"), "cash", valves=2)                   # ¥90 cash
    office.slip(beijing(day, "11:00"), "wechat")                           # ¥45 WeChat
    office.slip(beijing(day, "14:00"), "alipay", collected=3000)           # ¥30 of ¥45: ¥15 still owed
    office.slip(beijing(day, "16:00"), "unpaid")                           # ¥45 owed
    office.slip(beijing(day, "17:00"), paid=False)                         # free: nothing to hand in
    slips.void(office.back_office, office.slip(beijing(day, "18:00"), "cash"), "重复开具")  # not counted
    office.slip(beijing(day - timedelta(days=1), "12:00"), "cash")          # another day
    for method, fen in (("cash", 8000), ("wechat", 5000), ("alipay", 3000)):
        money.add_handover(office.back_office, office.tech, day, method, fen)
    numbers = figures.figures_of(office.tech, day)
    assert {m: (line.expected, line.handed) for m, line in numbers.methods.items()} == {
        "cash": (2 * VALVE_FEN, 8000), "wechat": (VALVE_FEN, 5000), "alipay": (3000, 3000)}
    assert _differences(numbers) == {"cash": -1000, "wechat": 500, "alipay": 0}  # 少交 ¥10, 多交 ¥5, 相符
    assert (numbers.unpaid_fen, numbers.unpaid_count, numbers.slip_count) == (1500 + VALVE_FEN, 2, 5)
    assert not numbers.balanced


def test_the_day_is_the_beijing_date_of_signing(office):
    day = days_ago(3)
    office.slip(beijing(day, "00:30"), "cash")        # 16:30 UTC the day before
    office.slip(beijing(day, "23:50"), "wechat")
    assert figures.figures_of(office.tech, day).expected == 2 * VALVE_FEN
    assert figures.figures_of(office.tech, day - timedelta(days=1)).expected == 0


def test_several_handovers_are_each_kept_and_a_correction_needs_a_note(office):
    day = days_ago(1)
    office.slip(beijing(day), "cash")
    money.add_handover(office.back_office, office.tech, day, "cash", 30000)
    with pytest.raises(ValidationFailed) as refused:
        money.add_handover(office.back_office, office.tech, day, "cash", -25500)
    assert list(refused.value.fields) == ["note"]
    money.add_handover(office.back_office, office.tech, day, "cash", -25500, "录入多打一个 0,冲正")
    assert [h.amount_fen for h in money.handovers_of(office.tech, day)] == [30000, -25500]
    assert figures.figures_of(office.tech, day).balanced


def test_a_handover_for_a_day_not_yet_come_or_of_nothing_is_refused(office):
    with pytest.raises(ValidationFailed):
        money.add_handover(office.back_office, office.tech, days_ago(-1), "cash", 100)
    with pytest.raises(ValidationFailed) as refused:
        money.add_handover(office.back_office, office.tech, days_ago(1), "unpaid", 0)
    assert set(refused.value.fields) == {"method", "amount"}


def test_a_balanced_day_closes_with_its_figures_frozen(office):
    day = days_ago(1)
    office.slip(beijing(day), "wechat")
    money.add_handover(office.back_office, office.tech, day, "wechat", VALVE_FEN)
    close = money.close_day(office.back_office, office.tech, day)
    assert close.balanced and close.reason is None
    assert close.snapshot["methods"]["wechat"] == {"expected": VALVE_FEN, "handed": VALVE_FEN}
    assert (close.starts_at, close.ends_at) == (beijing(day, "00:00"), beijing(day + timedelta(days=1), "00:00"))


def test_a_day_that_does_not_balance_closes_only_with_a_reason(office):
    day = days_ago(1)
    office.slip(beijing(day), "cash")
    money.add_handover(office.back_office, office.tech, day, "cash", VALVE_FEN - 2000)
    with pytest.raises(ValidationFailed) as refused:
        money.close_day(office.back_office, office.tech, day, "  ")
    assert list(refused.value.fields) == ["reason"]
    close = money.close_day(office.back_office, office.tech, day, "少交现金 20 元,师傅已签字确认")
    assert not close.balanced and close.reason.startswith("少交现金")
    assert close.snapshot["methods"]["cash"] == {"expected": VALVE_FEN, "handed": VALVE_FEN - 2000}


def test_a_closed_day_refuses_handovers_a_second_close_and_voids(office):
    day = days_ago(1)
    slip = office.slip(beijing(day), "cash")
    other_day = office.slip(beijing(day - timedelta(days=1)), "cash")
    money.add_handover(office.back_office, office.tech, day, "cash", VALVE_FEN)
    money.close_day(office.back_office, office.tech, day)
    for attempt in (lambda: money.add_handover(office.back_office, office.tech, day, "cash", 100),
                    lambda: money.close_day(office.back_office, office.tech, day),
                    lambda: slips.void(office.back_office, slip, "客户要求更正")):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "day_closed" and refused.value.status == 409
    assert slip.status == "signed" and len(money.handovers_of(office.tech, day)) == 1
    assert slips.void(office.back_office, other_day, "客户要求更正").status == "voided"  # its day is open


def test_another_technicians_day_is_not_closed_by_mine(office):
    day = days_ago(1)
    colleague = factories.technician(office.area)
    theirs = office.slip(beijing(day), "cash", tech=colleague)
    money.close_day(office.back_office, office.tech, day)
    money.add_handover(office.back_office, colleague, day, "cash", VALVE_FEN)
    assert slips.void(office.back_office, theirs, "录错").status == "voided"


def test_a_slip_uploaded_after_its_day_was_closed_is_kept_and_flagged(office):
    day = days_ago(1)
    on_time = office.slip(beijing(day, "09:00"), "cash")
    money.add_handover(office.back_office, office.tech, day, "cash", VALVE_FEN)
    close = money.close_day(office.back_office, office.tech, day)
    # Yesterday evening the slip came in and the day was closed; the offline phone uploads now.
    db.session.execute(db.update(Slip).where(Slip.id == on_time.id).values(received_at=beijing(day, "09:05")))
    db.session.execute(db.update(DayClose).where(DayClose.id == close.id).values(closed_at=beijing(day, "18:00")))
    db.session.expire_all()
    late = office.slip(beijing(day, "19:30"), "cash", valves=2)  # signed offline that evening: accepted
    assert late.status == "signed" and money.is_late(late, close)
    assert [(c.id, s.serial) for c, s in money.late_uploads()] == [(close.id, late.serial)]
    frozen = figures.Figures.from_snapshot(close.snapshot)
    assert frozen.methods["cash"].expected == VALVE_FEN and frozen.balanced  # the close is not reopened
    with pytest.raises(Conflict):
        slips.void(office.back_office, late, "想作废")


def test_recent_days_put_the_open_ones_first(office):
    open_day, closed_day = days_ago(2), days_ago(3)
    office.slip(beijing(open_day), "cash")
    office.slip(beijing(closed_day), "cash")
    office.slip(beijing(days_ago(4)), paid=False)  # a free slip: nothing to reconcile
    money.add_handover(office.back_office, office.tech, closed_day, "cash", VALVE_FEN)
    money.close_day(office.back_office, office.tech, closed_day)
    days = figures.with_figures(figures.recent_days())
    assert [(d.day, d.close is not None, d.figures.balanced) for d in days] == [
        (open_day, False, False), (closed_day, True, True)]
    assert figures.pending_count() == 1


def test_today_is_not_closed_before_it_is_over(office):
    today = local_today()
    office.slip(method="cash")
    money.add_handover(office.back_office, office.tech, today, "cash", VALVE_FEN)  # handing in today is fine
    for day in (today, today + timedelta(days=1)):
        with pytest.raises(Conflict) as refused:
            money.close_day(office.back_office, office.tech, day)
        assert refused.value.code == "day_not_over" and "明天再关账" in refused.value.message
    assert money.close_of(office.tech.id, today) is None


def test_a_slip_the_close_did_not_count_is_late_even_if_written_before_the_close(office):
    """A slip written just before the close but committed just after it: the snapshot never saw it."""
    day = days_ago(1)
    counted = office.slip(beijing(day, "09:00"), "cash")
    money.add_handover(office.back_office, office.tech, day, "cash", VALVE_FEN)
    close = money.close_day(office.back_office, office.tech, day)
    unseen = office.slip(beijing(day, "17:00"), "wechat")
    db.session.execute(db.update(Slip).where(Slip.id == unseen.id).values(
        received_at=close.closed_at - timedelta(seconds=1)))
    db.session.expire_all()
    assert close.snapshot["slip_ids"] == [counted.id]
    assert money.is_late(unseen, close) and not money.is_late(counted, close)
    assert [(c.id, s.id) for c, s in money.late_uploads(day=day)] == [(close.id, unseen.id)]
    assert [s.id for _, s in money.late_uploads(since=days_ago(31))] == [unseen.id]


def test_a_close_from_before_the_snapshot_kept_its_slips_goes_by_upload_time(office):
    day = days_ago(1)
    office.slip(beijing(day, "09:00"), "cash")
    close = money.close_day(office.back_office, office.tech, day, "尚未交款")
    older = {key: value for key, value in close.snapshot.items() if key != "slip_ids"}
    db.session.execute(db.update(DayClose).where(DayClose.id == close.id).values(snapshot=older))
    db.session.expire_all()
    late = office.slip(beijing(day, "19:30"), "cash")
    assert money.is_late(late, close) and [s.id for _, s in money.late_uploads()] == [late.id]


def test_signing_takes_the_technicians_lock_before_its_serial(office, monkeypatch):
    """Closing and signing take the same row lock on the technician (on PostgreSQL they queue behind each
    other there): a close never freezes figures that miss a slip being written. Checked here by the order
    of the calls; the queueing itself is PostgreSQL's FOR UPDATE."""
    order, steps = office.order(), []
    hold, serial = slips.hold_technician, slips.next_serial
    monkeypatch.setattr(slips, "hold_technician", lambda technician_id: steps.append(("hold", technician_id))
                        or hold(technician_id))
    monkeypatch.setattr(slips, "next_serial", lambda *args: steps.append(("serial",)) or serial(*args))
    office.slip(order=order)
    assert steps == [("hold", office.tech.id), ("serial",)]


def test_the_recent_days_figures_come_from_two_queries_and_match_each_day(office):
    colleague = factories.technician(office.area)
    for n, method in ((1, "cash"), (2, "wechat"), (3, "unpaid")):
        office.slip(beijing(days_ago(n), "23:30"), method)  # late evening: the Beijing day, not the UTC one
        office.slip(beijing(days_ago(n), "08:00"), "alipay", collected=1000, tech=colleague)
        money.add_handover(office.back_office, colleague, days_ago(n), "alipay", 500 * n)
    days = figures.recent_days()
    assert len(days) == 6
    with counted_queries() as statements:
        figures.with_figures(days)
    assert len(statements) == 2
    for item in days:
        assert item.figures == figures.figures_of(item.technician, item.day)


# ---- over HTTP ----

def _short_day(office):
    day = days_ago(1)
    slip = office.slip(beijing(day), "cash", valves=2)
    office.slip(beijing(day, "15:00"), "wechat")
    money.add_handover(office.back_office, office.tech, day, "cash", 2 * VALVE_FEN - 2000)
    return {"day": day.isoformat(), "slip": slip.id}


def test_the_day_page_shows_each_difference(client, committed):
    world = committed(_short_day)
    page = as_user(client, world.back_office).get(f"/reconciliation/money/{world.tech}/{world.made['day']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "少交 ¥20.00" in text and "少交 ¥45.00" in text and "带原因关账" in text


def test_a_closed_day_answers_409_to_a_handover_and_a_void(app, client, committed):
    world = committed(_short_day)
    as_user(client, world.back_office)
    base = f"/reconciliation/money/{world.tech}/{world.made['day']}"
    refused = client.post(f"{base}/close", data={"reason": ""})
    assert refused.status_code == 422 and "关账须写明原因" in refused.get_data(as_text=True)
    closed = client.post(f"{base}/close", data={"reason": "现金少交 20 元,微信未到账,已报财务"})
    assert closed.status_code == 303
    handover = client.post(f"{base}/handovers", data={"method": "cash", "amount": "20"})
    assert handover.status_code == 409 and "关账" in handover.get_data(as_text=True)
    void = client.post(f"/api/v1/slips/{world.made['slip']}/void", json={"reason": "客户要求更正"})
    assert void.status_code == 409 and void.get_json()["error"] == "day_closed"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Handover.id))).scalar() == 1


def test_the_desk_records_a_handover_in_yuan(app, client, committed):
    world = committed(_short_day)
    as_user(client, world.back_office)
    base = f"/reconciliation/money/{world.tech}/{world.made['day']}"
    assert client.post(f"{base}/handovers", data={"method": "cash", "amount": "¥20.00"}).status_code == 303
    bad = client.post(f"{base}/handovers", data={"method": "cash", "amount": "二十"})
    assert bad.status_code == 422
    with app.app_context():
        assert [h.amount_fen for h in db.session.execute(db.select(Handover).order_by(Handover.id)).scalars()] == [
            2 * VALVE_FEN - 2000, 2000]


def test_the_page_for_today_takes_handovers_but_offers_no_close(client, committed):
    world = committed(lambda office: office.slip(method="cash").signed_at)
    as_user(client, world.back_office)
    with client.application.app_context():
        base = f"/reconciliation/money/{world.tech}/{local_today().isoformat()}"
    page = client.get(base).get_data(as_text=True)
    assert "记录交款" in page and "明天再关账" in page and f'action="{base}/close"' not in page
    refused = client.post(f"{base}/close", data={"reason": "提前关账"})
    assert refused.status_code == 409 and "当天还没结束,明天再关账" in refused.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/reconciliation/money?day=0001-01-01", "/reconciliation/money?day=9999-12-31",
    "/reconciliation/money?day=1999-12-31", "/reconciliation/money/{tech}/9999-12-31",
    "/reconciliation/money/{tech}/0001-01-01", "/reconciliation/money/{tech}/not-a-day",
    "/reconciliation/money/99999999999999999999/2026-01-05",
])
def test_a_day_no_page_is_about_is_a_readable_404(client, committed, path):
    world = committed(lambda office: None)
    answer = as_user(client, world.back_office).get(path.format(tech=world.tech))
    assert answer.status_code == 404 and "<html" in answer.get_data(as_text=True)


def test_closing_a_day_no_page_is_about_is_a_404(client, committed):
    world = committed(lambda office: None)
    answer = as_user(client, world.back_office).post(f"/reconciliation/money/{world.tech}/9999-12-31/close")
    assert answer.status_code == 404


ODD_NUMBERS = ["²", "١", "-1", "99999999999999999999"]


@pytest.mark.parametrize(("page", "query"), [(page, f"branch={n}") for page in ("money", "copies") for n in ODD_NUMBERS]
                         + [("serials", f"year={n}&page={n}") for n in ODD_NUMBERS])
def test_odd_numbers_in_the_query_are_ignored(client, committed, page, query):
    world = committed(lambda office: office.slip(beijing(days_ago(20))).id)
    answer = as_user(client, world.back_office).get(f"/reconciliation/{page}?{query}")
    assert answer.status_code == 200
