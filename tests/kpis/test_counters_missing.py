"""A database whose counters were never built says so on the page, instead of showing empty figures."""
from sqlalchemy import delete

from app.extensions import db
from app.kpis import services
from app.kpis.models import KpiContribution, KpiCount
from tests.conftest import sign_in
from tests.kpis.conftest import complete

WARNING = "考核计数尚未建立"


def test_finished_orders_without_counters_ask_for_a_rebuild_until_it_is_run(client, company):
    complete(company.order(company.zhang), company.zhang)
    db.session.execute(delete(KpiCount))  # as after upgrading from before the counters
    db.session.execute(delete(KpiContribution))
    db.session.commit()
    desk = sign_in(client, company.back_office)
    assert WARNING in desk.get("/kpis").get_data(as_text=True)
    services.rebuild()
    db.session.commit()
    assert WARNING not in desk.get("/kpis").get_data(as_text=True)


def test_a_company_whose_orders_are_all_still_open_is_not_warned(client, company):
    company.order(company.zhang)
    db.session.commit()
    assert not db.session.execute(db.select(KpiCount)).first()
    assert WARNING not in sign_in(client, company.back_office).get("/kpis").get_data(as_text=True)
