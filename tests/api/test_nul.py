"""NUL in any text a request brings is refused where it enters, on every route, before PostgreSQL (whose
text cannot hold it) answers 500 — and the OpenAPI document says so of every string."""
import pytest

from app.extensions import db
from app.work_orders.models import WorkOrder
from tests.api.test_hostile_text import new_household

REFUSED_GETS = ["/api/v1/households?q=%25%00B", "/search?q=a%00b", "/work-orders?status=a%00b", "/s/a%00b",
                "/reconciliation/copies?branch=a%00b"]


@pytest.mark.parametrize("url", REFUSED_GETS)
def test_a_nul_in_a_query_or_path_is_refused_with_the_place_it_was_found(app, client, world, url):
    answer = world.as_(client, "dispatcher").get(url)
    assert answer.status_code == 422
    if url.startswith("/api/"):
        assert answer.get_json()["fields"] == {"q": ["不能含空字符(\\0)"]}
    else:
        assert "空字符" in answer.get_data(as_text=True)


def test_a_nul_in_a_descriptions_json_is_refused_and_nothing_is_opened(app, client, world):
    body = {"household_id": world["household"], "category": "repair", "channel": "hotline",
            "description": "漏\x00水"}
    with app.app_context():
        before = db.session.query(WorkOrder).count()
    answer = world.as_(client, "dispatcher").post("/api/v1/work-orders", json=body)
    assert answer.status_code == 422 and "description" in answer.get_json()["fields"]
    with app.app_context():
        assert db.session.query(WorkOrder).count() == before


def test_a_nul_deep_in_json_names_the_top_field(app, client, world):
    answer = world.as_(client, "dispatcher").post("/api/v1/households",
                                                  json=new_household(world, app, extra={"a": ["\x00"]}))
    assert answer.status_code == 422 and answer.get_json()["fields"] == {"extra": ["不能含空字符(\\0)"]}


def test_a_nul_in_a_desk_form_is_refused_on_a_readable_page(app, client, world):
    answer = world.as_(client, "dispatcher").post("/search", data={"q": "a\x00"})
    assert answer.status_code == 422 and "空字符" in answer.get_data(as_text=True)


def test_text_without_nul_still_searches(app, client, world):
    answer = world.as_(client, "dispatcher").get("/api/v1/households?q=%25B")
    assert answer.status_code == 200


def test_the_openapi_document_says_which_text_is_refused(app, client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    household = schemas["HouseholdIn"]["properties"]
    assert household["name"]["pattern"].startswith("^[^\\x00-\\x1f")  # a line: no control or bidi marks
    assert household["account_number"]["pattern"] == "^[0-9A-Za-z\\-]{3,32}$"  # its own rule kept
    order = schemas["WorkOrderIn"]["properties"]
    assert "\\x00" in order["description"]["pattern"]  # free text: anything but NUL (and not only blanks)
