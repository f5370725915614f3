"""Print one JSON line describing the data in DATABASE_URL, so results say what they were measured on.

    python bench/dataset.py demo
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.extensions import db  # noqa: E402
from app.work_orders.models import StatusChange, WorkOrder  # noqa: E402
from app.work_orders.vocabulary import LOAD_STATUSES, OPEN_STATUSES  # noqa: E402


def count(*where, model=WorkOrder):
    return db.session.execute(db.select(func.count()).select_from(model).where(*where)).scalar()


with create_app().app_context():
    technician = db.session.execute(db.select(User.id).filter_by(username="T1001")).scalar()
    print(json.dumps({
        "kind": "dataset",
        "dataset": sys.argv[1],
        "database": db.engine.dialect.name,
        "work_orders": count(),
        "open": count(WorkOrder.status.in_(OPEN_STATUSES)),
        "status_changes": count(model=StatusChange),
        # The job list has no page size: it returns the technician's whole open load.
        "jobs_of_T1001": count(WorkOrder.technician_id == technician, WorkOrder.status.in_(LOAD_STATUSES)),
    }))
