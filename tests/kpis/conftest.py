"""Orders whose times are set by hand, so that every KPI can be computed on paper first."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from app.callbacks import services as callbacks
from app.clocks import services as clocks
from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.kpis.models import TALLIES, KpiContribution, KpiCount
from app.visits import checklist
from app.visits import services as visits
from app.visits.models import PhotoRule
from tests import factories

NOVEMBER = 202611



def place(order, opened, **minutes_after):
    """Move the order to `opened` (its clocks with it) and stamp each step so many minutes after."""
    order.created_at = opened
    for name, due_at in clocks.deadlines(clocks.policy_for(order.category), opened).items():
        setattr(order, name, due_at)
    for name, minutes in minutes_after.items():
        setattr(order, name, None if minutes is None else opened + timedelta(minutes=minutes))
    db.session.flush()
    return order


def visit(order, tech, skip=()):
    for code in checklist.STEP_CODES:
        if code == "repair":
            visits.record_repair(order, tech, "company", "free", "暖气片内有空气", "排气后暖气片上下均热")
        if code in skip:
            visits.record_step(order, tech, code, "skipped", reason="客户不同意")
        else:
            visits.record_step(order, tech, code, "done")


def complete(order, tech, skip=()):
    """Accept, set off, arrive, the whole visit, 完工: the way a phone does it (a callback task opens)."""
    for action in ("accept", "depart", "arrive"):
        visits.advance(order, tech, action)
    visit(order, tech, skip)
    return visits.advance(order, tech, "complete")


def answer(order, actor, satisfaction="satisfied", solved=True):
    return callbacks.answer(callbacks.pending_for(order), actor, solved, satisfaction,
                            "" if solved else "还是不热")


def snapshot():
    """Both tables, without counter rows that add up to nothing (the incremental path may leave those)."""
    counts = {(row.month, row.branch_id, row.technician_id): tuple(getattr(row, n) for n in TALLIES)
              for row in db.session.execute(select(KpiCount)).scalars()}
    contributions = {(row.work_order_id, row.technician_id): (row.month, row.branch_id,
                                                              *(getattr(row, n) for n in TALLIES))
                     for row in db.session.execute(select(KpiContribution)).scalars()}
    return {key: value for key, value in counts.items() if any(value)}, contributions


@pytest.fixture
def company(ctx):
    """Two branches; 城东 has two technicians, 城西 one. No photo rules: the visits here take no photos."""
    ensure_default_policies()
    db.session.execute(delete(PhotoRule))
    east, west = factories.branch(code="CD", name="城东分公司"), factories.branch(code="CX", name="城西分公司")
    east_area, west_area = factories.area(east, name="河东片区"), factories.area(west, name="河西片区")
    people = SimpleNamespace(
        zhang=factories.technician(east_area, name="张建军"), wang=factories.technician(east_area, name="王海涛"),
        zhao=factories.technician(west_area, name="赵立新"),
        dispatcher=factories.user("dispatcher", name="刘婷"), back_office=factories.user("back_office", name="陈静"),
    )
    homes = {east.id: factories.household(factories.estate(east_area)),
             west.id: factories.household(factories.estate(west_area))}

    def order(tech, category="repair", description="暖气不热,室温 16 度"):
        home = homes[tech.branch_id]
        return factories.work_order(home, category=category, actor=people.dispatcher, technician_=tech,
                                    description=description)

    return SimpleNamespace(east=east, west=west, order=order, **vars(people))
