"""Add N work orders over the past year, with their visits and callbacks, then rebuild the KPI counters.

    python bench/million.py 1000000 [--open 300] [--seed 2027]

On top of the demo company (`flask demo load`), in the database of DATABASE_URL. Each order comes from
bench/make_orders.py's generator (its categories, channels, statuses and steps), then is moved to a day
of a heating year: most orders fall in the season (15 November – 15 March), few in summer. The open
backlog is a count, not a share: a city company has a few hundred open orders whatever its history, so
`--open` orders (about) are still open, with deadlines around now. Finished field orders get their
finished visit (nine steps, 3% with one skipped); completed ones their callback, answered once the order
was called back (94% 满意, 4% 基本满意, 2% 不满意).

Bulk inserts, never the services: PostgreSQL gets COPY, SQLite executemany, a commit every 50,000
orders. The KPI counters are then rebuilt in SQL (`app.kpis.services.rebuild`), which the timing reports.
"""
import argparse
import bisect
import json
import random
import sys
import time
from datetime import UTC, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_orders  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.callbacks import windows  # noqa: E402
from app.callbacks.models import Callback  # noqa: E402
from app.extensions import db  # noqa: E402
from app.kpis import services as kpis  # noqa: E402
from app.kpis.months import month_of  # noqa: E402
from app.localtime import now_utc, to_local  # noqa: E402
from app.visits.checklist import STEP_CODES  # noqa: E402
from app.visits.models import Visit, VisitStep  # noqa: E402
from app.work_orders.models import StatusChange, WorkOrder  # noqa: E402

CHUNK = 5000
COMMIT_EVERY = 10  # chunks
YEAR_DAYS = 365
# Orders per day by Beijing month, relative: the heating season is busy, the summer quiet.
MONTH_WEIGHT = {11: 5, 12: 6, 1: 6, 2: 5, 3: 4, 10: 2, 4: 1.5, 5: 0.6, 6: 0.5, 7: 0.5, 8: 0.5, 9: 0.8}
SATISFACTION = {"satisfied": 94, "fair": 4, "dissatisfied": 2}
SKIPPABLE = ("shoe_covers", "tool_mat", "water_catcher")
FINISHED = ("done", "called_back", "closed")
TIMELY_SHARE = 0.95  # of finished repairs: make_orders' step gaps alone would leave most of them late
CLOCKS = (("contact_due_at", "contacted_at"), ("on_site_due_at", "arrived_at"), ("fixed_due_at", "done_at"))
STAMPS = ("created_at", "contact_due_at", "on_site_due_at", "fixed_due_at", "next_due_at", "dispatched_at",
          "accepted_at", "contacted_at", "departed_at", "arrived_at", "done_at", "called_back_at", "closed_at",
          "cancelled_at", "appointment_at")


def blank(table):
    return {column.key: None for column in table.columns if column.key != "id"}


class Year:
    """Draws the day an order was opened: 3 to 365 days ago, weighted by the Beijing month."""

    def __init__(self, now):
        self.now = now
        self.days = list(range(3, YEAR_DAYS))
        self.cumulative = list(accumulate(MONTH_WEIGHT[to_local(now - timedelta(days=d)).month]
                                          for d in self.days))

    def opened(self, rng):
        day = self.days[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        return self.now - timedelta(days=day, minutes=rng.uniform(0, 24 * 60))


def moved(order, history, opened):
    """The whole order, deadlines and history with it, opened at `opened` instead."""
    delta = opened - order["created_at"]
    for name in STAMPS:
        if order[name] is not None:
            order[name] += delta
    for change in history:
        change["at"] += delta
        if change["device_time"] is not None:
            change["device_time"] += delta
    order["opened_month"] = month_of(opened)
    return order, history


def squeezed(order, history):
    """The same steps, in the same order, closer to the opening: every clock met, with room to spare."""
    opened = order["created_at"]
    spans = [(order[met] - opened) / (order[due] - opened) for due, met in CLOCKS
             if order[due] is not None and order[met] is not None and order[met] > opened]
    factor = min([1.0, *(0.9 / span for span in spans if span > 0.9)])
    if factor == 1.0:
        return order, history
    stamps = {change["at"] for change in history}
    for name in ("dispatched_at", "accepted_at", "contacted_at", "departed_at", "arrived_at", "done_at",
                 "called_back_at", "closed_at"):
        if order[name] is not None:
            order[name] = opened + (order[name] - opened) * factor
    squeeze = {at: opened + (at - opened) * factor for at in stamps}
    for change in history:
        change["at"] = squeeze[change["at"]]
        if change["device_time"] is not None:
            change["device_time"] = change["at"]
    return order, history


def callback_of(rng, order, back_office, policy):
    """The callback of a completed order, its window from the category's policy: answered when the order
    was called back, else still pending."""
    row = blank(Callback.__table__)
    done = order["done_at"]
    due_from, due_by = windows.for_policy(done, policy)
    row.update(work_order_id=order["id"], round=1, category=order["category"], branch_id=order["branch_id"],
               technician_id=order["technician_id"], completed_at=done, due_from=due_from, due_by=due_by,
               daytime_only=bool(policy.callback_daytime_only), status="pending", created_at=done)
    if order["called_back_at"] is not None:
        row.update(status="answered", answered_at=order["called_back_at"], answered_by_id=back_office,
                   source="phone", solved=True, satisfaction=make_orders.pick(rng, SATISFACTION))
    return row


def visit_of(rng, order, visit_id):
    """The finished visit between arriving and completing: nine steps, one of them skipped now and then."""
    started, finished = order["arrived_at"], max(order["arrived_at"], order["done_at"] - timedelta(minutes=3))
    visit = {**blank(Visit.__table__), "id": visit_id, "work_order_id": order["id"],
             "technician_id": order["technician_id"], "started_at": started, "finished_at": finished}
    skipped = rng.choice(SKIPPABLE) if rng.random() < 0.03 else None
    gap = (finished - started) / len(STEP_CODES)
    steps = []
    for n, code in enumerate(STEP_CODES, start=1):
        at = started + gap * n
        steps.append({**blank(VisitStep.__table__), "visit_id": visit_id, "step": code,
                      "outcome": "skipped" if code == skipped else "done",
                      "reason": "客户不同意" if code == skipped else None, "at": at, "device_time": at,
                      "recorded_at": at})
    return visit, steps


class Writer:
    """Rows into tables: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.copy = connection.dialect.name == "postgresql"

    def put(self, table, rows):
        if not rows:
            return
        if not self.copy:
            self.connection.execute(insert(table), rows)
            return
        columns = list(rows[0])
        cursor = self.connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_plain(row[column]) for column in columns])


def _plain(value):
    """Naive UTC, as UTCDateTime stores it."""
    return value.astimezone(UTC).replace(tzinfo=None) if hasattr(value, "astimezone") else value


def add(count, open_count, seed):
    ref = make_orders.reference_data()
    ref.open_share = open_count / count if count else 0
    rng, now = random.Random(seed), now_utc()
    year = Year(now)
    writer = Writer(db.session.connection())
    next_order = (db.session.execute(select(func.max(WorkOrder.id))).scalar() or 0) + 1
    next_visit = (db.session.execute(select(func.max(Visit.id))).scalar() or 0) + 1
    numbered = db.session.execute(select(func.count()).where(WorkOrder.number.like("BM%"))).scalar()
    totals = dict.fromkeys(("orders", "status_changes", "callbacks", "visits", "visit_steps"), 0)
    for chunk, start in enumerate(range(0, count, CHUNK), start=1):
        rows = {name: [] for name in totals}
        for i in range(start, min(start + CHUNK, count)):
            order, history = make_orders.make_order(rng, ref, f"BM{numbered + i + 1:07d}", now)
            if order["status"] not in make_orders.OPEN:
                order, history = moved(order, history, year.opened(rng))
                if order["category"] in ("repair", "urgent_leak") and rng.random() < TIMELY_SHARE:
                    order, history = squeezed(order, history)
            order["id"] = next_order
            next_order += 1
            rows["orders"].append(order)
            rows["status_changes"].extend({**change, "work_order_id": order["id"]} for change in history)
            if order["status"] in FINISHED and order["category"] != "consultation":
                rows["callbacks"].append(callback_of(rng, order, ref.back_office, ref.policies[order["category"]]))
                if order["arrived_at"] is not None:
                    visit, steps = visit_of(rng, order, next_visit)
                    next_visit += 1
                    rows["visits"].append(visit)
                    rows["visit_steps"].extend(steps)
        for name, table in (("orders", WorkOrder.__table__), ("status_changes", StatusChange.__table__),
                            ("callbacks", Callback.__table__), ("visits", Visit.__table__),
                            ("visit_steps", VisitStep.__table__)):
            writer.put(table, rows[name])
            totals[name] += len(rows[name])
        if chunk % COMMIT_EVERY == 0:
            db.session.commit()
            writer = Writer(db.session.connection())
    make_orders.catch_up_sequences("work_orders", "visits")
    db.session.commit()
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--open", type=int, default=300, help="about how many of them are still open")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    with create_app().app_context():
        started = time.perf_counter()
        totals = add(args.count, args.open, args.seed)
        inserted = time.perf_counter()
        kpis.rebuild()
        db.session.commit()
        rebuilt = time.perf_counter()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        all_orders = db.session.execute(select(func.count()).select_from(WorkOrder)).scalar()
        print(json.dumps({"kind": "generated", "database": db.engine.dialect.name, "added": totals,
                          "work_orders": all_orders, "insert_s": round(inserted - started, 1),
                          "rebuild_s": round(rebuilt - inserted, 1)}))
    print(f"million: {args.count} orders and theirs in {inserted - started:.0f} s, KPI rebuild "
          f"{rebuilt - inserted:.1f} s; {all_orders} orders in all", file=sys.stderr)


if __name__ == "__main__":
    main()
