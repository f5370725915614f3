"""The JSON API: the phone fetches the price list in force (and keeps it offline); slips name their version."""
from app.price_list import services
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, committed, draft, item

ITEM_KEYS = {"id", "code", "name", "specification", "unit", "category", "category_label", "price_fen", "price",
             "is_basic_labour_fee", "after_sales", "warranty_months"}


def _published(app, admin_id, items=(VALVE, BASIC_FEE, LABOUR)):
    from app.auth.models import User
    from app.extensions import db

    def build():
        admin = db.session.get(User, admin_id)
        return services.publish(admin, draft(admin, items), services.local_today()).id

    return committed(app, build)


def test_a_technician_reads_the_price_list_in_force_with_every_item(app, client, world):
    version_id = _published(app, world["admin"])
    response = world.as_(client, "technician").get("/api/v1/price-list/current")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == version_id and body["status"] == "published"
    with app.app_context():
        today = services.local_today().isoformat()
    assert body["effective_from"] == today and body["basic_labour_fee_fen"] == 3000
    assert [i["code"] for i in body["items"]] == ["PJ-002", "RG-001", "RG-002"]  # by category, then code
    valve = body["items"][0]
    assert set(valve) == ITEM_KEYS
    assert (valve["price_fen"], valve["price"], valve["category_label"]) == (4500, "¥45.00", "配件")


def test_an_unchanged_price_list_is_not_sent_again(app, client, world):
    version_id = _published(app, world["admin"])
    world.as_(client, "technician")
    first = client.get("/api/v1/price-list/current")
    assert first.headers["ETag"] == f'"price-list-{version_id}-v2"'
    again = client.get("/api/v1/price-list/current", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_without_a_price_list_in_force_the_answer_says_so(client, world):
    response = world.as_(client, "technician").get("/api/v1/price-list/current")
    assert response.status_code == 404
    assert response.get_json()["error"] == "no_price_list_in_force"


def test_the_price_list_of_another_day_can_be_asked_for(app, client, world):
    _published(app, world["admin"])
    world.as_(client, "dispatcher")
    assert client.get("/api/v1/price-list/current?on=2000-01-01").status_code == 404
    bad = client.get("/api/v1/price-list/current?on=tomorrow")
    assert bad.status_code == 422 and set(bad.get_json()["fields"]) == {"on"}


def test_signing_in_is_needed(client, world):
    response = client.get("/api/v1/price-list/current")
    assert response.status_code == 401 and set(response.get_json()) == {"error", "message", "fields"}


def test_a_version_is_read_by_id_and_drafts_only_by_the_desk(app, client, world):
    published_id = _published(app, world["admin"])

    def build():
        from app.auth.models import User
        from app.extensions import db

        return draft(db.session.get(User, world["admin"]), [item(price_fen=5000)], name="草稿").id

    draft_id = committed(app, build)
    world.as_(client, "technician")
    assert client.get(f"/api/v1/price-list/versions/{published_id}").get_json()["id"] == published_id
    assert client.get(f"/api/v1/price-list/versions/{draft_id}").status_code == 404
    world.as_(client, "dispatcher")
    body = client.get(f"/api/v1/price-list/versions/{draft_id}").get_json()
    assert body["status"] == "draft" and body["effective_from"] is None and body["basic_labour_fee_fen"] is None
    assert client.get("/api/v1/price-list/versions/999999").status_code == 404
