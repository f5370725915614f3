"""Text that misleads: bidi overrides and control characters refused where people read and dial, isolated
wherever old text still shows them, stripped from every export; search text matched literally."""
import pytest

from app.auth.models import User
from app.extensions import db
from app.households.models import Household
from app.templating import isolated
from app.work_orders.models import WorkOrder
from tests.price_list.conftest import draft

RLO = "\u202e"
HOSTILE = [RLO, "\u202d", "\u2066", "\u200f", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\n"]


def new_household(world, app, **changes):
    with app.app_context():
        estate_id = db.session.get(Household, world["household"]).estate_id
    return {"account_number": "0909090909", "name": "赵先生", "phone": "13700001234", "estate_id": estate_id,
            "building": "7", "unit": "3", "room": "1102", **changes}


@pytest.mark.parametrize("character", HOSTILE)
@pytest.mark.parametrize("field", ["name", "building", "unit", "room", "phone", "account_number"])
def test_hidden_characters_in_a_households_name_address_phone_or_number_are_refused(app, client, world, field,
                                                                                   character):
    body = new_household(world, app)
    body[field] = body[field][:2] + character + body[field][2:]
    answer = world.as_(client, "dispatcher").post("/api/v1/households", json=body)
    assert answer.status_code == 422 and field in answer.get_json()["fields"]
    with app.app_context():
        assert db.session.query(Household).filter_by(account_number="0909090909").count() == 0


@pytest.mark.parametrize("field", ["name", "specification", "unit", "code"])
def test_hidden_characters_in_a_price_item_are_refused(app, client, world, field):
    from app.price_list.models import PriceItem

    with app.app_context():
        version_id = draft(db.session.get(User, world["admin"]), []).id
        db.session.commit()
    form = {"code": "PJ-9", "name": "铜球阀", "specification": "DN15", "unit": "个", "category": "fitting",
            "price": "35"}
    form[field] = form[field] + RLO + "1"
    answer = world.as_(client, "admin").post(f"/price-list/{version_id}/items", data=form)
    assert answer.status_code == 422
    with app.app_context():
        assert db.session.query(PriceItem).count() == 0


def test_a_stored_override_cannot_reverse_what_the_order_page_shows_after_it(app, client, world):
    with app.app_context():
        db.session.get(Household, world["household"]).name = "王先生" + RLO
        db.session.commit()
    page = world.as_(client, "dispatcher").get(f"/work-orders/{world['order']}").get_data(as_text=True)
    assert "\u2068王先生" + RLO + "\u2069" in page
    assert page.count(RLO) == page.count("\u2068王先生" + RLO + "\u2069")  # every occurrence is isolated


def test_the_isolate_wraps_only_text_that_needs_it():
    assert isolated("王先生") == "王先生"
    assert isolated("a" + RLO + "b") == "\u2068a" + RLO + "b\u2069"
    assert isolated(3) == 3


def test_the_printed_slip_isolates_a_stored_override(app, monkeypatch):
    """The slip's own template, as the PDF renderer gets it: the name's override ends before the phone."""
    from app.service_slips import pdf
    from tests.service_slips.documents import paid_content, sample_document

    customer = {**paid_content()["customer"], "name": "王秀兰" + RLO}
    written = []
    monkeypatch.setattr(pdf, "_write_pdf", lambda html, _images, _labels=0: written.append(html) or b"")
    with app.app_context():
        pdf.render_slip(sample_document({"customer": customer}))
        pdf.render_slip(sample_document({"customer": customer}), composed=False)
    # Composed, the slip is written once and drawn under every copy; laid out page by page, once per copy.
    assert [html.count("\u2068王秀兰" + RLO + "\u2069") for html in written] == [1, 3]
    assert [html.count(RLO) for html in written] == [1, 3]


@pytest.mark.parametrize("query", ["%", "_", "万新%", "万_", "%0%"])
def test_household_search_matches_percent_and_underscore_literally(app, client, world, query):
    from tests import factories

    with app.app_context():
        area = db.session.get(WorkOrder, world["order"]).household.estate.area
        factories.household(factories.estate(area, name="万新家园"), name="万新")
        db.session.commit()
    found = world.as_(client, "dispatcher").get("/api/v1/households", query_string={"q": query}).get_json()
    assert found == []
