"""A branch with a technician, a back office and a price list in force for years; slips signed at any moment."""
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.localtime import from_local_naive, local_today
from app.price_list import services as price_list
from app.service_slips import services as slips
from app.visits import services as visits
from tests import factories
from tests.paid_service.test_quotes import PIPE
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft
from tests.service_slips.conftest import choices, signed_as_phone

LONG_AGO = date(2020, 1, 1)
VALVE_FEN = VALVE["price_fen"]


def beijing(day, hh_mm="10:00"):
    """A moment given as a Beijing wall clock, aware and in UTC."""
    return from_local_naive(datetime.combine(day, time.fromisoformat(hh_mm)))


def days_ago(n):
    return local_today() - timedelta(days=n)




class Office:
    """Builds, inside an app context: the company, and slips signed by its technician."""

    def __init__(self):
        self.admin = factories.user("admin", name="周明")
        self.version = draft(self.admin, items=(VALVE, PIPE, BASIC_FEE, LABOUR))
        price_list.publish(self.admin, self.version, LONG_AGO, as_of=LONG_AGO)
        self.branch = factories.branch(code="CD", name="城东分公司")
        self.area = factories.area(self.branch)
        self.tech = factories.technician(self.area, name="张建军")
        self.back_office = factories.user("back_office", name="陈静", username="recon-backoffice")
        self.dispatcher = factories.user("dispatcher")

    def order(self, tech=None, paid=True):
        tech = tech or self.tech
        order = factories.work_order(factories.household(factories.estate(self.area)),
                                     category="paid_service" if paid else "repair", technician_=tech)
        factories.advance(order, tech, "accept", "depart", "arrive")
        visits.record_repair(order, tech, "customer" if paid else "company", "paid" if paid else "free",
                             "阀门锈死无法关闭", "更换阀门,试压无渗漏")
        return order

    def slip(self, signed_at=None, method="cash", collected=None, valves=1, tech=None, paid=True, replaces=None,
             order=None):
        """A slip signed as a phone signs it; `valves` company valves at ¥45 each, collected in full by default."""
        tech = tech or self.tech
        order = order or self.order(tech, paid)
        lines = [("PJ-002", str(valves), "company")] if paid else []
        total = VALVE_FEN * valves if paid else 0
        if not paid:
            method = "none"
        collected = (total if method in ("cash", "wechat", "alipay") else 0) if collected is None else collected
        submission = choices(self.version if paid else None, lines=lines, method=method, collected=collected,
                             signed_at=signed_at, replaces=replaces)
        return slips.sign(tech, order, signed_as_phone(tech, order, submission))

    def ids(self):
        return SimpleNamespace(tech=self.tech.id, back_office=self.back_office.id, admin=self.admin.id,
                               dispatcher=self.dispatcher.id, branch=self.branch.code)


@pytest.fixture
def office(ctx):
    return Office()


@pytest.fixture
def committed(app):
    """For tests over HTTP: build with `committed(lambda office: ...)`; it commits and returns what it gave."""

    def build(make):
        with app.app_context():
            office = Office()
            made = make(office)
            result = SimpleNamespace(**vars(office.ids()), made=made)
            db.session.commit()
        return result

    return build
