"""Importing a billing system's household file (issue 10): rows per second and peak memory for a file of N
rows, as Chinese Excel writes it (GBK CSV) or as XLSX, through the same services the desk's job runs —
upload, dry run, import — on a fresh database.

    python bench/household_import.py [--rows 10000,100000] [--kind csv|xlsx] [--database-url URL]

Each size runs in a process of its own, so its peak resident memory (ru_maxrss) is its own. Without
--database-url it uses a throwaway SQLite database. Prints one JSON line per size.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ESTATES = 200
HEADER = "用户编号,户名,联系电话,小区名称,楼栋,单元号,房号,供热面积,片区,备注"


def write_file(path, rows, kind):
    """`rows` households over 200 estates, a hundredth of them with a problem (a bad phone)."""
    lines = ((f"{100000000 + n}", f"住户{n}", "打不通" if n % 100 == 99 else f"138{n:08d}", f"小区{n % ESTATES}",
              str(n % 30 + 1), str(n % 4 + 1), f"{n % 25 + 1}0{n % 4 + 1}", f"{60 + n % 70}.5", "片区甲", "")
             for n in range(rows))
    if kind == "csv":
        with open(path, "w", encoding="gbk", newline="") as out:
            out.write(HEADER + "\r\n")
            for line in lines:
                out.write(",".join(line) + "\r\n")
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("热用户")
    sheet.append(HEADER.split(","))
    for line in lines:
        sheet.append(list(line))
    book.save(path)


def one(rows, kind, database_url):
    from app import create_app
    from app.extensions import db
    from app.imports import services
    from tests import factories

    files = tempfile.mkdtemp(prefix="shifu-import-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SHIFU_FILES_ROOT": files})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        area = factories.area(name="片区甲")
        for n in range(ESTATES):
            factories.estate(area, name=f"小区{n}")
        admin = factories.user("admin")
        db.session.commit()
        path = Path(files) / f"households.{kind}"
        write_file(path, rows, kind)
        size = path.stat().st_size
        started = time.perf_counter()
        with open(path, "rb") as stream:
            found = services.upload(admin, path.name, stream)
        services.set_mapping(admin, found, found.mapping)
        db.session.commit()
        services.check(found.id)
        checked = time.perf_counter()
        services.apply(found.id, admin.id, services.choose_new_estates(admin, found, {}))
        done = time.perf_counter()
        found = services.get(found.id)
        return {"rows": rows, "kind": kind, "file_mb": round(size / 1048576, 1), "added": found.added,
                "rejected": found.rejected, "dry_run_s": round(checked - started, 1),
                "import_s": round(done - checked, 1), "total_s": round(done - started, 1),
                "rows_per_s": int(rows / (done - started)),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="10000,100000")
    parser.add_argument("--kind", default="csv", choices=("csv", "xlsx"))
    parser.add_argument("--database-url")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.kind, args.database_url), ensure_ascii=False))
        return
    for rows in map(int, args.rows.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
            env = {**os.environ, "SHIFU_ENV": "development"}
            subprocess.run([sys.executable, __file__, "--one", str(rows), "--kind", args.kind,
                            "--database-url", url], check=True, env=env)


if __name__ == "__main__":
    main()
