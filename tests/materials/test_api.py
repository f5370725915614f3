"""Materials and stock through the API: who reads what (a technician only their own van, a storekeeper only
their branch), who writes, and bad input refused with nothing written."""
import pytest

from tests.materials.conftest import client_as

MOVEMENT = {"kind": "issue", "quantity_centi": 100}


def movement(depot, **given):
    return {**MOVEMENT, "branch_id": depot["branch"], "material_id": depot["materials"]["PJ-002"],
            "technician_id": depot["tech"], **given}


def test_a_technician_reads_only_their_own_van_whatever_they_ask(app, depot):
    phone = client_as(app, depot["tech"])
    levels = phone.get(f"/api/v1/stock/levels?branch_id={depot['branch']}").get_json()
    assert {row["technician_id"] for row in levels} == {depot["tech"]} and {row["place"] for row in levels} == {"van"}
    assert phone.get(f"/api/v1/stock/levels?technician_id={depot['other_tech']}").get_json() == levels
    assert phone.get(f"/api/v1/stock/movements?branch_id={depot['other_branch']}").status_code == 403
    own = phone.get(f"/api/v1/stock/movements?branch_id={depot['branch']}").get_json()
    assert own and {row["kind"] for row in own} == {"issue"}
    assert phone.post("/api/v1/stock/movements", json=movement(depot)).status_code == 403


def test_a_storekeeper_reads_and_moves_only_their_branch(app, depot):
    keeper = client_as(app, depot["other_keeper"])
    assert keeper.get(f"/api/v1/stock/levels?branch_id={depot['branch']}").status_code == 403
    assert keeper.post("/api/v1/stock/movements", json=movement(depot)).status_code == 403
    own = client_as(app, depot["keeper"])
    made = own.post("/api/v1/stock/movements", json=movement(depot, quantity_centi=300))
    assert made.status_code == 201 and made.get_json()["kind_label"] == "领料"
    van = [row for row in own.get("/api/v1/stock/levels").get_json()
           if row["technician_id"] == depot["tech"] and row["code"] == "PJ-002"]
    assert van[0]["on_hand_centi"] == 800


@pytest.mark.parametrize("given,status", [
    ({"quantity_centi": -100}, 422), ({"quantity_centi": 0}, 422), ({"quantity_centi": 1.5}, 422),
    ({"quantity_centi": 150}, 409), ({"material_id": 999999}, 404), ({"kind": "consume"}, 422),
    ({"technician_id": None}, 409), ({"booked_on": "2020-01-01", "kind": "receipt"}, 201),
    ({"quantity_centi": 10_000_000}, 409), ({"reason": "a\u202eb"}, 422),
])
def test_bad_movements_get_a_clear_error_and_write_nothing(app, depot, given, status):
    admin = client_as(app, depot["admin"])
    before = len(admin.get(f"/api/v1/stock/movements?branch_id={depot['branch']}").get_json())
    answer = admin.post("/api/v1/stock/movements", json=movement(depot, **given))
    assert answer.status_code == status, answer.get_json()
    body = answer.get_json()
    after = len(admin.get(f"/api/v1/stock/movements?branch_id={depot['branch']}").get_json())
    if status >= 400:
        assert set(body) == {"error", "message", "fields"} and after == before
    else:
        assert after == before + 1


def test_a_material_of_another_branch_is_refused_by_name(app, depot):
    admin = client_as(app, depot["admin"])
    other = admin.post("/api/v1/materials", json={"code": "CX-1", "name": "城西的阀", "unit": "个", "cost_fen": 100,
                                                  "branch_id": depot["other_branch"]})
    assert other.status_code == 201
    answer = admin.post("/api/v1/stock/movements", json=movement(depot, material_id=other.get_json()["id"],
                                                                 kind="receipt", technician_id=None))
    assert (answer.status_code, answer.get_json()["error"]) == (409, "other_branch")


def test_the_catalogue_is_read_by_the_desk_and_written_by_keepers(app, depot):
    assert len(client_as(app, depot["dispatcher"]).get("/api/v1/materials").get_json()) == 4
    assert client_as(app, depot["dispatcher"]).post("/api/v1/materials", json={}).status_code == 403
    keeper = client_as(app, depot["keeper"])
    made = keeper.post("/api/v1/materials", json={"code": "cd-9", "name": "本地阀", "unit": "个", "cost_fen": 500})
    assert (made.status_code, made.get_json()["code"], made.get_json()["branch_id"]) == (201, "CD-9", depot["branch"])
    taken = keeper.post("/api/v1/materials", json={"code": "CD-9", "name": "重复", "unit": "个", "cost_fen": 1})
    assert taken.status_code == 409 and "code" in taken.get_json()["fields"]
    shared = depot["materials"]["PJ-002"]
    assert keeper.put(f"/api/v1/materials/{shared}", json={"code": "PJ-002", "name": "改", "unit": "个",
                                                           "cost_fen": 1}).status_code == 403


def test_a_count_through_the_api(app, depot):
    admin = client_as(app, depot["admin"])
    counted = {"branch_id": depot["branch"], "material_id": depot["materials"]["WX-001"],
               "technician_id": depot["tech"]}
    assert admin.post("/api/v1/stock/counts", json={**counted, "counted_centi": 500}).status_code == 204
    answer = admin.post("/api/v1/stock/counts", json={**counted, "counted_centi": 300})
    assert (answer.status_code, answer.get_json()["kind"], answer.get_json()["quantity_centi"]) == (201, "adjust", 200)
