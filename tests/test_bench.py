"""The benchmark generators still write rows the schema and the rules accept (they bypass the services)."""
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.callbacks.models import Callback
from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.kpis.models import KpiCount
from app.work_orders.models import WorkOrder
from tests import factories

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import make_orders  # noqa: E402
import million  # noqa: E402


def test_both_generators_fill_a_small_company_and_the_counters_follow(ctx):
    ensure_default_policies()
    area = factories.area(factories.branch(code="CD", name="城东分公司"))
    factories.technician(area)
    factories.household(factories.estate(area))
    factories.user("dispatcher")
    factories.user("back_office")
    db.session.commit()

    make_orders.add_orders(200, 0.05, 7)
    million.add(300, 10, 8)

    assert db.session.execute(select(func.count()).select_from(WorkOrder)).scalar_one() == 500
    callbacks = db.session.execute(select(Callback)).scalars().all()
    assert callbacks and all(c.due_from <= c.due_by for c in callbacks)
    assert db.session.execute(select(func.sum(KpiCount.repairs))).scalar_one() > 0
