"""Add N benchmark work orders (numbers BN0000001, ...) to the database in DATABASE_URL.

    python bench/make_orders.py 100000 [--open-share 0.003] [--seed 2026]

A heating season on top of the demo company: most orders finished over the past 150 days, the rest
open with deadlines around now (some overdue), spread over the demo households and technicians.

Bulk Core inserts rather than the services: the services open one order per transaction (a counter
row, an audit row), far too slow for 100k. The columns are filled as the services would fill them
(deadlines from the clock policy, branch and area from the household's estate). Open orders get their
whole status history; finished ones only their first and last step, which halves the run time and
changes nothing measured (the lists load the history of open orders only).
"""
import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.branches.models import Area, Estate, area_technicians  # noqa: E402
from app.clocks import services as clocks  # noqa: E402
from app.extensions import db  # noqa: E402
from app.households.models import Household  # noqa: E402
from app.kpis import services as kpis  # noqa: E402
from app.kpis.months import month_of  # noqa: E402
from app.localtime import now_utc  # noqa: E402
from app.work_orders.models import StatusChange, WorkOrder  # noqa: E402

SEASON_DAYS = 150
CHUNK = 5000
CATEGORIES = {"repair": 45, "urgent_leak": 10, "complaint": 10, "paid_service": 10,
              "temperature_check": 15, "consultation": 10}
CHANNELS = {"hotline": 60, "hotline_12345": 15, "visit": 10, "branch_direct": 10, "letter": 2,
            "suggestion_box": 3}
FINISHED = {"closed": 60, "called_back": 15, "done": 15, "cancelled": 10}
OPEN = {"new": 15, "dispatched": 25, "accepted": 20, "on_the_way": 15, "on_site": 25}
# How old an open order in each status typically is, in minutes: new ones are fresh, so only some are late.
OPEN_AGE = {"new": (0, 90), "dispatched": (5, 240), "accepted": (10, 480), "on_the_way": (20, 600),
            "on_site": (40, 1800)}
# The life of an order (as in app/demo/loader.py): action, status after (None: unchanged), stamp, gap in minutes.
PATH = (("dispatch", "dispatched", "dispatched_at", (2, 30)),
        ("accept", "accepted", "accepted_at", (1, 15)),
        ("contact", None, "contacted_at", (1, 20)),
        ("depart", "on_the_way", "departed_at", (5, 40)),
        ("arrive", "on_site", "arrived_at", (10, 90)),
        ("complete", "done", "done_at", (20, 180)),
        ("call_back", "called_back", "called_back_at", (600, 2880)),
        ("close", "closed", "closed_at", (10, 1440)))
PATH_LENGTH = {"new": 0, "dispatched": 1, "accepted": 3, "on_the_way": 4, "on_site": 5, "done": 6,
               "called_back": 7, "closed": 8}
BY_TECHNICIAN = {"accept", "contact", "depart", "arrive", "complete"}
BY_BACK_OFFICE = {"call_back", "close"}
STATUS_AFTER = {name: after for name, after, _, _ in PATH if after} | {"cancel": "cancelled", "answer": "closed"}
STAMP = {name: stamp for name, _, stamp, _ in PATH} | {"cancel": "cancelled_at", "answer": "closed_at"}
ORDER_KEYS = [c.key for c in WorkOrder.__table__.columns if c.key != "id"]


def pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def reference_data():
    """Households with their branch and area, the technicians per area, and the desk people."""
    households = db.session.execute(
        db.select(Household.id, Estate.area_id, Area.branch_id)
        .join(Estate, Household.estate_id == Estate.id).join(Area, Estate.area_id == Area.id)
    ).all()
    by_area = {}
    for area_id, user_id in db.session.execute(db.select(area_technicians)).all():
        by_area.setdefault(area_id, []).append(user_id)
    desk = dict(db.session.execute(db.select(User.role, func.min(User.id)).group_by(User.role)).all())
    if not households or not by_area:
        sys.exit("make_orders: load the demo data first (flask demo load)")
    policies = {category: clocks.policy_for(category) for category in CATEGORIES}
    return SimpleNamespace(households=households, by_area=by_area, dispatcher=desk.get("dispatcher"),
                           back_office=desk.get("back_office", desk.get("dispatcher")), policies=policies)


def make_order(rng, ref, number, now):
    """One order's row and its history rows, oldest first."""
    category, (household_id, area_id, branch_id) = pick(rng, CATEGORIES), rng.choice(ref.households)
    is_open = rng.random() < ref.open_share
    status = pick(rng, OPEN if is_open else FINISHED)
    if is_open:
        opened = now - timedelta(minutes=rng.uniform(*OPEN_AGE[status]))
    else:
        opened = now - timedelta(days=rng.uniform(3, SEASON_DAYS))
    order = dict.fromkeys(ORDER_KEYS)
    order.update(number=number, channel=pick(rng, CHANNELS), category=category, status="new",
                 description=f"压测工单 {number}", household_id=household_id, branch_id=branch_id,
                 area_id=area_id, received_by_id=ref.dispatcher, created_at=opened, opened_month=month_of(opened),
                 appointment_moves=0, appointment_night_requested=False,
                 **clocks.deadlines(ref.policies[category], opened))
    if ref.policies[category].by_appointment:  # the booked visit is the on-site clock
        order["appointment_at"] = order["on_site_due_at"] = opened + timedelta(hours=rng.uniform(2, 48))
    history = [change(order, "open", None, ref.dispatcher, opened)]
    for action, at in timeline(rng, category, status, opened, now):
        actor = _actor(ref, order, action, area_id, rng)
        before = order["status"]
        order["status"] = STATUS_AFTER.get(action) or before
        order[STAMP[action]] = at
        history.append(change(order, action, before, actor, at))
    if not is_open:  # only the lists' open orders load their history; keep the finished ones' short
        history = [history[0], history[-1]] if len(history) > 1 else history
    if order["status"] == "closed" and category == "consultation":
        order["done_at"] = order["closed_at"]
    order["next_due_at"] = clocks.next_due(SimpleNamespace(**order))
    return order, history


def timeline(rng, category, status, opened, now):
    """The steps to reach status, squeezed to end before now (young open orders move fast)."""
    if category == "consultation":  # answered on the call (closed), cancelled, or still waiting as new
        actions = {"cancelled": ["cancel"]}.get(status, ["answer"] if status in FINISHED else [])
    elif status == "cancelled":
        before = pick(rng, OPEN)
        actions = [step[0] for step in PATH[:PATH_LENGTH[before]]] + ["cancel"]
    else:
        actions = [step[0] for step in PATH[:PATH_LENGTH[status]]]
    gaps = {step[0]: step[3] for step in PATH} | {"cancel": (5, 600), "answer": (2, 10)}
    offsets = [rng.uniform(*gaps[action]) for action in actions]
    room = (now - opened).total_seconds() / 60 - 1
    scale = min(1.0, room / sum(offsets)) if offsets else 1.0
    at, steps = opened, []
    for action, minutes in zip(actions, offsets, strict=True):
        at += timedelta(minutes=minutes * scale)
        steps.append((action, at))
    return steps


def _actor(ref, order, action, area_id, rng):
    if action == "dispatch":
        order["technician_id"] = rng.choice(ref.by_area.get(area_id) or sum(ref.by_area.values(), []))
    if action in BY_TECHNICIAN:
        return order["technician_id"]
    return ref.back_office if action in BY_BACK_OFFICE else ref.dispatcher


def change(order, action, before, actor, at):
    return {"work_order_id": None, "action": action, "from_status": before, "to_status": order["status"],
            "actor_id": actor, "at": at, "device_time": at if action in BY_TECHNICIAN else None,
            "note": None, "technician_id": order["technician_id"]}


def add_orders(count, open_share, seed):
    ref = reference_data()
    ref.open_share = open_share
    rng, now = random.Random(seed), now_utc()
    first_id = (db.session.execute(db.select(func.max(WorkOrder.id))).scalar() or 0) + 1
    done = db.session.execute(db.select(func.count()).where(WorkOrder.number.like("BN%"))).scalar()
    for start in range(0, count, CHUNK):
        orders, changes = [], []
        for i in range(start, min(start + CHUNK, count)):
            order, history = make_order(rng, ref, f"BN{done + i + 1:07d}", now)
            order["id"] = first_id + i  # ids chosen here so the history rows can point at them
            orders.append(order)
            changes.extend({**row, "work_order_id": order["id"]} for row in history)
        # The tables, not the ORM classes: ORM bulk insert splits rows by which columns are None.
        db.session.execute(insert(WorkOrder.__table__), orders)
        db.session.execute(insert(StatusChange.__table__), changes)
    catch_up_sequences("work_orders")
    kpis.rebuild()  # Core inserts pass by the KPI counters' session hook
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def catch_up_sequences(*tables):
    """Ids chosen here leave PostgreSQL's sequences behind; SQLite has none to move."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--open-share", type=float, default=0.003, help="share of orders still open")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    started = time.perf_counter()
    with create_app().app_context():
        add_orders(args.count, args.open_share, args.seed)
        total = db.session.execute(db.select(func.count()).select_from(WorkOrder)).scalar()
    print(f"make_orders: added {args.count} orders in {time.perf_counter() - started:.1f} s; {total} in all")


if __name__ == "__main__":
    main()

