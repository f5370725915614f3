"""The migration that added opened_month gives every existing order its Beijing month, a month at a time."""
import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import update

from app.extensions import db
from app.kpis.months import month_of
from app.work_orders.models import WorkOrder
from tests.conftest import beijing

MIGRATION = Path(__file__).resolve().parents[2] / "migrations/versions/028adfb9a771_kpi_counters_and_opened_month.py"


def _migration():
    spec = importlib.util.spec_from_file_location("kpi_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_order_gets_the_beijing_month_it_was_opened_in(company):
    moments = [beijing(2026, 10, 31, 23, 50), beijing(2026, 11, 1, 0, 10), beijing(2026, 1, 1, 0, 0),
               beijing(2025, 12, 31, 23, 59), beijing(2026, 11, 30, 12, 0)]
    ids = [company.order(company.zhang).id for _ in moments]
    db.session.flush()
    for order_id, moment in zip(ids, moments, strict=True):  # behind the ORM: as a database before the column
        db.session.execute(update(WorkOrder).where(WorkOrder.id == order_id).values(created_at=moment, opened_month=0))
    with Operations.context(MigrationContext.configure(db.session.connection())):
        _migration()._backfill_opened_month()
    db.session.expire_all()
    months = [db.session.get(WorkOrder, order_id).opened_month for order_id in ids]
    assert months == [202610, 202611, 202601, 202512, 202611] == [month_of(moment) for moment in moments]
