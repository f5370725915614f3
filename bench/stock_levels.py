"""Stock at scale (issue 11): the figures people wait for — one van's on-hand figures (the stock-level query),
a van's list on the phone's bundle, a branch's store with its low-stock flags, one place's ledger check
(the sum of its movements), the month's usage report, and one movement written —
with N movements already in the books, on a fresh database.

    python bench/stock_levels.py [--movements 10000,1000000] [--database-url URL]

The movements (two branches, 60 vans, 200 materials, a year of days; a third of them consumption) are
bulk-inserted and the on-hand table rebuilt from them in one statement, as the services keep it. Each size
runs in a process of its own on a fresh database. Prints one JSON line per size: the median of each query
over 200 runs (the report: 20), in milliseconds.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VANS, MATERIALS, DAYS, CHUNK = 60, 200, 365, 20_000


def median_ms(work, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def fill(db, movements, admin_id, branches, stores, vans, materials):
    """`movements` rows over the places and a year, then the on-hand table as their sums."""
    from sqlalchemy import insert, text

    from app.materials.models import StockMovement

    rng, first = random.Random(2026), date.today() - timedelta(days=DAYS)
    moment = datetime.now(UTC)
    kinds = ("receipt", "issue", "consume", "consume", "return", "transfer")
    rows = []
    for n in range(movements):
        branch = n % 2
        kind, van = kinds[n % len(kinds)], vans[branch][rng.randrange(len(vans[branch]))]
        other = vans[branch][rng.randrange(len(vans[branch]))]
        source, target = {"receipt": (None, stores[branch]), "issue": (stores[branch], van),
                          "consume": (van, None), "return": (van, stores[branch]),
                          "transfer": (van, other if other != van else None)}[kind]
        if source is None and target is None or (kind == "transfer" and target is None):
            kind, source, target = "consume", van, None
        rows.append({"kind": kind, "material_id": materials[rng.randrange(MATERIALS)], "source_id": source,
                     "target_id": target, "quantity_centi": 100 * rng.randint(1, 5), "unit_cost_fen": 500,
                     "charged": kind == "consume" and n % 3 == 0, "below_zero": False, "actor_id": admin_id,
                     "at": moment, "booked_on": first + timedelta(days=n % DAYS), "branch_id": branches[branch]})
        if len(rows) == CHUNK:
            db.session.execute(insert(StockMovement), rows)
            rows = []
    if rows:
        db.session.execute(insert(StockMovement), rows)
    db.session.execute(text("""
        INSERT INTO stock_levels (location_id, material_id, on_hand_centi)
        SELECT place, material_id, SUM(q) FROM (
            SELECT target_id AS place, material_id, quantity_centi AS q FROM stock_movements WHERE target_id IS NOT NULL
            UNION ALL
            SELECT source_id, material_id, -quantity_centi FROM stock_movements WHERE source_id IS NOT NULL
        ) AS moved GROUP BY place, material_id"""))
    db.session.commit()


def one(movements, database_url):
    from app import create_app
    from app.extensions import db
    from app.kpis.months import current_month
    from app.materials import queries, reports
    from app.materials import services as stock
    from app.materials.models import Material, StockLocation
    from tests import factories

    if database_url.startswith("postgresql"):  # a fresh schema for each size
        from sqlalchemy import create_engine, text

        with create_engine(database_url).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    files = tempfile.mkdtemp(prefix="shifu-stock-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SHIFU_FILES_ROOT": files})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        admin = factories.user("admin")
        branches = [factories.branch(code=code) for code in ("CD", "CX")]
        areas = [factories.area(branch) for branch in branches]
        technicians = [[factories.technician(areas[b]) for _ in range(VANS // 2)] for b in range(2)]
        stores = [stock.store_of(branch).id for branch in branches]
        vans = [[stock.van_of(t).id for t in technicians[b]] for b in range(2)]
        for n in range(MATERIALS):
            db.session.add(Material(code=f"M-{n:04d}", name=f"材料{n}", unit="个", cost_fen=500,
                                    min_stock_centi=1000))
        db.session.flush()
        materials = list(db.session.execute(db.select(Material.id).order_by(Material.id)).scalars())
        db.session.commit()
        started = time.perf_counter()
        fill(db, movements, admin.id, [b.id for b in branches], stores, vans, materials)
        loaded = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        else:
            db.session.execute(db.text("ANALYZE"))
        rng = random.Random(7)
        tech, branch = technicians[0][0], branches[0]
        place = db.session.get(StockLocation, vans[0][0])
        material = db.session.get(Material, materials[0])

        def ledger():
            stock.ledger_sum(db.session.get(StockLocation, rng.choice(vans[0])),
                             db.session.get(Material, rng.choice(materials)))

        def write():
            stock.move(admin, "issue", db.session.get(Material, rng.choice(materials)), 100,
                       source=db.session.get(StockLocation, stores[0]), target=place, allow_below_zero=True)
            db.session.rollback()

        result = {
            "movements": movements, "database": db.engine.dialect.name, "load_s": round(loaded, 1),
            "van_list_ms": median_ms(lambda: queries.van_list(tech), 200),
            "store_levels_ms": median_ms(lambda: queries.store_levels(branch), 200),
            "van_levels_ms": median_ms(lambda: queries.levels_of(rng.choice(vans[0])), 200),
            "ledger_check_ms": median_ms(ledger, 200),
            "issue_written_ms": median_ms(write, 200),
            "month_report_ms": median_ms(lambda: reports.usage(current_month(), branch.id), 20),
        }
        assert stock.on_hand(place, material) == stock.ledger_sum(place, material)
        return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--movements", default="10000,1000000")
    parser.add_argument("--database-url")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.database_url), ensure_ascii=False), flush=True)
        return
    for movements in map(int, args.movements.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
            env = {**os.environ, "SHIFU_ENV": "development"}
            subprocess.run([sys.executable, __file__, "--one", str(movements), "--database-url", url], env=env,
                           check=True)


if __name__ == "__main__":
    main()
