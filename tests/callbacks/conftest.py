"""A small company whose orders are completed the way a phone completes them: visit finished, then 完工."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.auth.models import User
from app.callbacks import services as callbacks
from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.households.models import Household
from app.localtime import now_utc
from app.service_slips import services as slips
from app.visits import checklist
from app.visits import services as visits
from tests import factories
from tests.conftest import sign_in
from tests.service_slips.conftest import choices, on_site_with_repair, signed_as_phone


def finish_visit(order, tech, repair=True):
    """Every step of 十个一 done (no photo rules in these tests), with the repair record unless it is made."""
    for code in checklist.STEP_CODES:
        if code == "repair" and repair:
            visits.record_repair(order, tech, "company", "free", "暖气片内有空气", "排气后暖气片上下均热")
        visits.record_step(order, tech, code, "done")


def complete(order, tech):
    """From dispatched to 完工 through the one door the phone, the API and the desk use."""
    for action in ("accept", "depart", "arrive"):
        visits.advance(order, tech, action)
    finish_visit(order, tech)
    return visits.advance(order, tech, "complete")


def build_company():
    ensure_default_policies()
    branch = factories.branch(code="CD", name="城东分公司")
    area = factories.area(branch, name="河东片区")
    tech = factories.technician(area, name="张建军")
    dispatcher = factories.user("dispatcher", name="刘婷")
    back_office = factories.user("back_office", name="陈静", username="backoffice")
    household = factories.household(factories.estate(area, name="春华里"), name="罗德明", phone="13592050076",
                                    building="1", unit="1", room="801")

    def order(category="repair", description="暖气不热,室温 16 度"):
        return factories.work_order(household, category=category, actor=dispatcher, technician_=tech,
                                    description=description)

    def completed(category="repair"):
        return complete(order(category), tech)

    admin = factories.user("admin", name="周明", username="admin")
    visits.set_photo_rules(admin, set())  # photos are the visit's business, not the callback's
    return SimpleNamespace(branch=branch, area=area, tech=tech, dispatcher=dispatcher, back_office=back_office,
                           household=household, order=order, completed=completed, admin=admin)


@pytest.fixture
def company(ctx):
    return build_company()


@pytest.fixture
def desk(app):
    """The company committed, for tests through HTTP: `desk.pending(category)` completes an order and
    gives its callback's id; `desk.as_(client, role)` signs the client in."""
    with app.app_context():
        made = build_company()
        db.session.commit()
        people = {role: getattr(made, role).id for role in ("tech", "dispatcher", "back_office", "admin")}
        household_id, branch_id = made.household.id, made.branch.id

    def pending(category="repair", overdue_by=None, waits_for=None):
        with app.app_context():
            order = complete(factories.work_order(db.session.get(Household, household_id), category=category,
                                                  actor=db.session.get(User, people["dispatcher"]),
                                                  technician_=db.session.get(User, people["tech"])),
                             db.session.get(User, people["tech"]))
            task = callbacks.pending_for(order)
            if overdue_by is not None:
                task.due_from, task.due_by = now_utc() - overdue_by - timedelta(hours=48), now_utc() - overdue_by
            if waits_for is not None:
                task.due_from = now_utc() + waits_for
            db.session.commit()
            return SimpleNamespace(callback=task.id, order=order.id, number=order.number)

    def as_(client, role):
        with app.app_context():
            return sign_in(client, db.session.get(User, people[role]))

    return SimpleNamespace(pending=pending, as_=as_, branch=branch_id, **people)


def signed_free_slip(area):
    """A company-side repair on site with its free slip signed, as a phone signs it."""
    order, tech = on_site_with_repair(area, category="repair", fault_location="company", resolution="free")
    slip = slips.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
    return order, tech, slip
