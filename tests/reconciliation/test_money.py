"""Money per technician and Beijing day: what the slips say was collected, by method, against what was handed in."""
from datetime import timedelta

import pytest

from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.reconciliation import figures, money
from app.reconciliation.models import DayClose, Handover
from app.service_slips import services as slips
from app.service_slips.models import Slip
from tests import factories
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
