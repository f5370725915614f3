"""The bundle's ETag comes from version stamps, not from building the bundle: an unchanged bundle is a 304
that reads no job, and every committed change moves the tag of exactly the phones that show it (a change
nobody's bundle shows moves none; a change of unknown kind moves everyone's)."""
from datetime import timedelta

import pytest

from app.audit import services as audit
from app.auth.models import User
from app.dispatch import services as dispatching
from app.extensions import db
from app.field import stamps
from app.households import services as households
from app.materials import services as stock
from app.materials.models import ISSUE, RECEIPT
from app.visits import services as visits
from app.work_orders.models import WorkOrder
from tests import factories
from tests.conftest import counted_queries
from tests.materials.conftest import add_materials


def tags(world):
    people = {who: db.session.get(User, world[who]) for who in ("technician", "other_technician")}
    return {who: stamps.etag_for(user, stamps.versions_for(user)) for who, user in people.items()}


def moved(world, change):
    """Which technicians' tags a committed change moved."""
    before = tags(world)
    change()
    db.session.commit()
    after = tags(world)
    return {who for who in before if before[who] != after[who]}


@pytest.fixture
def people(ctx, world):
    return {name: db.session.get(User, world[name])
            for name in ("technician", "other_technician", "dispatcher", "admin")}


def test_a_step_of_a_visit_moves_only_its_technicians_tag(people, world):
    order = db.session.get(WorkOrder, world["order"])
    factories.advance(order, people["technician"], "accept", "depart", "arrive")
    db.session.commit()
    assert moved(world, lambda: visits.record_step(order, people["technician"], "knock", "done")) == {"technician"}


def test_an_order_dispatched_to_a_technician_moves_theirs(people, world):
    order = db.session.get(WorkOrder, world["order"])
    assert moved(world, lambda: factories.work_order(order.household, actor=people["dispatcher"],
                                                    technician_=people["other_technician"])) \
        == {"other_technician"}


def test_a_reassigned_order_moves_both_technicians(people, world):
    order = db.session.get(WorkOrder, world["order"])
    assert moved(world, lambda: dispatching.dispatch(order, people["dispatcher"], people["other_technician"])) \
        == {"technician", "other_technician"}


def test_a_household_edit_moves_every_technician(people, world):
    household = db.session.get(WorkOrder, world["order"]).household
    assert moved(world, lambda: households.update(people["admin"], household, {"phone": "13900000000"},
                                                  fields=("phone",))) == {"technician", "other_technician"}


def test_stock_moved_into_a_van_moves_that_technicians_tag_only(people, world):
    materials = add_materials(people["technician"].branch_id)
    db.session.commit()
    material = next(iter(materials.values()))
    store = stock.store_of(people["technician"].branch)
    stock.move(people["admin"], RECEIPT, material, 1000, target=store)
    db.session.commit()
    van = stock.van_of(people["technician"])
    db.session.commit()
    assert moved(world, lambda: stock.move(people["admin"], ISSUE, material, 100, source=store, target=van)) \
        == {"technician"}


def test_what_no_bundle_shows_moves_no_tag(people, world):
    assert moved(world, lambda: audit.record(people["dispatcher"], "work_order", world["order"], "viewed")) == set()
    people["dispatcher"].password_hash = factories.password_hash()
    assert moved(world, lambda: None) == set()


def test_a_rolled_back_change_moves_no_tag(people, world):
    before = tags(world)
    db.session.get(WorkOrder, world["order"]).description = "改了又撤回"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert tags(world) == before


def test_a_new_day_renews_every_tag(people, world, monkeypatch):
    before = tags(world)
    tomorrow = stamps.now_utc() + timedelta(days=1)
    monkeypatch.setattr(stamps, "now_utc", lambda: tomorrow)
    after = tags(world)
    assert all(before[who] != after[who] for who in before)


def test_an_unchanged_bundle_is_a_304_that_reads_no_job(app, client, world):
    world.as_(client, "technician")
    etag = client.get("/api/v1/me/bundle").headers["ETag"]
    with app.app_context(), counted_queries() as statements:
        answer = client.get("/api/v1/me/bundle", headers={"If-None-Match": etag})
    assert answer.status_code == 304 and answer.headers["ETag"] == etag
    assert not [sql for sql in statements if "work_orders" in sql or "visits" in sql], statements


def test_a_phone_holding_the_old_tag_is_sent_the_new_bundle(app, client, world):
    """Over HTTP, end to end: a change on the server, the old tag sent, the new bundle back with a new tag."""
    world.as_(client, "technician")
    first = client.get("/api/v1/me/bundle")
    with app.app_context():
        technician = db.session.get(User, world["technician"])
        factories.advance(db.session.get(WorkOrder, world["order"]), technician, "accept")
        db.session.commit()
    again = client.get("/api/v1/me/bundle", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert again.get_json()["jobs"][0]["status"] == "accepted"


def test_what_every_phone_shares_is_rebuilt_when_the_company_changes(app, client, world):
    """The checklist, rules and catalogue are kept per process under the company's stamp: a new photo rule
    is in the very next bundle."""
    from app.visits.models import PhotoRule

    world.as_(client, "technician")
    first = client.get("/api/v1/me/bundle")
    steps = {step["code"]: step["photos"] for step in first.get_json()["checklist"]["steps"]}
    assert steps["lay_out"] == []
    with app.app_context():
        db.session.add(PhotoRule(step="lay_out", kind="site"))
        db.session.commit()
    again = client.get("/api/v1/me/bundle", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert {step["code"]: step["photos"] for step in again.get_json()["checklist"]["steps"]}["lay_out"] == ["site"]
