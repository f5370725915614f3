"""Stock movements: each a row never edited, the on-hand figure their sum — right under concurrent movements
on both databases — and every refusal a clear 4xx with nothing written."""
import threading

import pytest

from app.errors import RuleBroken, ValidationFailed
from app.extensions import db
from app.materials import services
from app.materials.models import CONSUME, ISSUE, RECEIPT, RETURN, TRANSFER, WRITE_OFF, Material, StockMovement
from tests import factories


@pytest.fixture
def stock(ctx):
    area = factories.area()
    tech, other = factories.technician(area), factories.technician(area)
    admin = factories.user("admin")
    valve = Material(code="FM-DN20", name="铜截止阀", specification="DN20", unit="个", whole_units=True, cost_fen=4200)
    pipe = Material(code="CL-PPR20", name="PPR 管", specification="DN20", unit="米", whole_units=False, cost_fen=800)
    db.session.add_all([valve, pipe])
    db.session.flush()
    store = services.store_of(area.branch)
    services.move(admin, RECEIPT, valve, 5000, target=store)
    return admin, store, services.van_of(tech), services.van_of(other), valve, pipe


def test_a_receipt_an_issue_a_return_and_a_consumption_move_the_figures_and_the_ledger_agrees(stock):
    admin, store, van, other, valve, pipe = stock
    services.move(admin, ISSUE, valve, 1000, source=store, target=van)
    services.move(admin, RETURN, valve, 200, source=van, target=store)
    services.move(admin, TRANSFER, valve, 300, source=van, target=other)
    services.move(admin, CONSUME, valve, 100, source=van)
    assert (services.on_hand(store, valve), services.on_hand(van, valve), services.on_hand(other, valve)) == (
        4200, 400, 300)
    for place in (store, van, other):
        assert services.on_hand(place, valve) == services.ledger_sum(place, valve)


def test_more_than_the_store_holds_is_refused_and_nothing_is_written(stock):
    admin, store, van, _other, valve, _pipe = stock
    before = db.session.execute(db.select(db.func.count()).select_from(StockMovement)).scalar_one()
    with pytest.raises(RuleBroken, match="库存不足"), db.session.begin_nested():
        services.move(admin, ISSUE, valve, 5100, source=store, target=van)
    assert services.on_hand(store, valve) == 5000 and services.on_hand(van, valve) == 0
    assert db.session.execute(db.select(db.func.count()).select_from(StockMovement)).scalar_one() == before


def test_a_consumption_from_the_phone_that_takes_the_van_below_zero_is_kept_and_flagged(stock):
    admin, _store, van, _other, valve, _pipe = stock
    movement = services.move(admin, CONSUME, valve, 100, source=van, allow_below_zero=True)
    assert movement.below_zero and services.on_hand(van, valve) == -100


@pytest.mark.parametrize("material,quantity", [("valve", 150), ("valve", 0), ("pipe", -50)])
def test_a_quantity_the_unit_does_not_allow_is_refused(stock, material, quantity):
    admin, store, _van, _other, valve, pipe = stock
    with pytest.raises(ValidationFailed):
        services.move(admin, RECEIPT, {"valve": valve, "pipe": pipe}[material], quantity, target=store)


def test_half_a_metre_of_pipe_is_a_quantity(stock):
    admin, store, *_rest, pipe = stock
    services.move(admin, RECEIPT, pipe, 150, target=store)
    assert services.on_hand(store, pipe) == 150


def test_a_write_off_needs_a_reason_and_a_movement_stays_in_its_branch(stock):
    admin, store, van, _other, valve, _pipe = stock
    with pytest.raises(ValidationFailed):
        services.move(admin, WRITE_OFF, valve, 100, source=store)
    stranger = services.van_of(factories.technician(factories.area()))
    with pytest.raises(RuleBroken, match="同一分公司"):
        services.move(admin, ISSUE, valve, 100, source=store, target=stranger)
    with pytest.raises(RuleBroken):
        services.move(admin, CONSUME, valve, 100, source=store)  # consumption is from a van


def test_a_stock_count_records_the_difference_as_one_adjustment(stock):
    admin, store, _van, _other, valve, _pipe = stock
    adjustment = services.count(admin, store, valve, 4700)
    assert (adjustment.kind, adjustment.quantity_centi, adjustment.source_id) == ("adjust", 300, store.id)
    assert services.on_hand(store, valve) == 4700 == services.ledger_sum(store, valve)
    assert services.count(admin, store, valve, 4700) is None


def test_twenty_consumptions_at_once_leave_the_right_figure(app):
    """Twenty phones' consumptions of one material from one van, each in its own transaction and thread,
    at the same instant: none lost, on SQLite and PostgreSQL alike."""
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area)
        admin = factories.user("admin")
        valve = Material(code="FM-X", name="阀门", unit="个", whole_units=True, cost_fen=100)
        db.session.add(valve)
        db.session.flush()
        store, van = services.store_of(area.branch), services.van_of(tech)
        services.move(admin, RECEIPT, valve, 10000, target=store)
        services.move(admin, ISSUE, valve, 5000, source=store, target=van)
        db.session.commit()
        ids = (admin.id, van.id, valve.id)
    barrier = threading.Barrier(20)
    failures = []

    def consume(n):
        with app.app_context():
            from app.auth.models import User
            from app.materials.models import StockLocation

            barrier.wait(timeout=30)  # all start at once; each then reads and writes in its own transaction
            try:
                actor, place, material = (db.session.get(User, ids[0]), db.session.get(StockLocation, ids[1]),
                                          db.session.get(Material, ids[2]))
                services.move(actor, CONSUME, material, 100, source=place)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                db.session.rollback()
                failures.append(repr(error))

    threads = [threading.Thread(target=consume, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with app.app_context():
        from app.materials.models import StockLocation

        van, valve = db.session.get(StockLocation, ids[1]), db.session.get(Material, ids[2])
        assert services.on_hand(van, valve) == 3000 == services.ledger_sum(van, valve)
