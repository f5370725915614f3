"""The queue shows a page at a time, and every task can be reached from it."""
from types import SimpleNamespace

from app.callbacks import views
from app.extensions import db
from tests.callbacks.conftest import build_company
from tests.conftest import sign_in


def test_every_pending_callback_is_reachable_a_page_at_a_time(app, client, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_SIZE", 2)
    with app.app_context():
        company = build_company()
        numbers = [company.completed("paid_service").number for _ in range(5)]
        back_office = SimpleNamespace(id=company.back_office.id)
        db.session.commit()
    sign_in(client, back_office)
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/callbacks?page={page}").get_data(as_text=True)
        seen += [number for number in numbers if number in html]
        assert f"共 5 条,第 {2 * page - 1}–{min(2 * page, 5)} 条" in html
    assert sorted(seen) == sorted(numbers)
    assert ("下一页" in client.get("/callbacks?page=2").get_data(as_text=True),
            "下一页" in client.get("/callbacks?page=3").get_data(as_text=True)) == (True, False)


def test_a_page_or_branch_that_is_not_a_number_is_the_first_page_not_an_error(app, client):
    with app.app_context():
        company = build_company()
        number = company.completed("paid_service").number
        back_office = SimpleNamespace(id=company.back_office.id)
        db.session.commit()
    sign_in(client, back_office)
    for query in ("page=%C2%B2", "page=99999999999999999999", "page=-1", "filtered=1&branch_id=%C2%B2",
                  "filtered=1&branch_id=99999999999999999999"):
        page = client.get(f"/callbacks?{query}")
        assert page.status_code == 200 and number in page.get_data(as_text=True)  # the first page, unfiltered
        assert number in client.get("/callbacks").get_data(as_text=True)  # the bad filter was not kept
