"""Every endpoint and page, every role: who may, who may not, and whose orders are invisible (404)."""
import pytest

ROLES = ("anonymous", "technician", "other_technician", "dispatcher", "back_office", "admin")
NEW_ORDER = {"channel": "hotline", "category": "repair", "description": "暖气不热"}
NEW_HOUSEHOLD = {"account_number": "0202030405", "name": "李女士", "phone": "13900001111",
                 "building": "5", "unit": "1", "room": "302"}

# (method, path, body, expected status for: anonymous, technician, other_technician, dispatcher, back_office, admin)
MATRIX = [
    ("GET", "/api/v1/work-orders", None, (401, 200, 200, 200, 200, 200)),
    ("POST", "/api/v1/work-orders", "new_order", (401, 403, 403, 201, 403, 201)),
    ("GET", "/api/v1/work-orders/{order}", None, (401, 200, 404, 200, 200, 200)),
    ("POST", "/api/v1/work-orders/{order}/transitions", {"action": "accept"}, (401, 200, 404, 403, 403, 403)),
    ("POST", "/api/v1/work-orders/{order}/transitions", {"action": "cancel", "reason": "重复"},
     (401, 403, 404, 200, 403, 200)),
    ("PUT", "/api/v1/work-orders/{order}/assignment", "reassign", (401, 403, 403, 200, 403, 200)),
    ("PUT", "/api/v1/work-orders/{order}/appointment", {"appointment_at": "2099-01-05T10:00:00+08:00"},
     (401, 200, 404, 200, 403, 200)),
    ("GET", "/api/v1/me/jobs", None, (401, 200, 200, 403, 403, 403)),
    ("GET", "/api/v1/me", None, (401, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/households?q=0101", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/v1/households/{household}", None, (401, 403, 403, 200, 200, 200)),
    ("POST", "/api/v1/households", "new_household", (401, 403, 403, 201, 403, 201)),
    ("GET", "/api/v1/dispatch/proposal?household_id={household}", None, (401, 403, 403, 200, 403, 200)),
    ("GET", "/dispatch/board", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/work-orders", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/work-orders/export.xlsx", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/search?q=0101", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/dispatch/intake", None, (302, 403, 403, 200, 403, 200)),
    ("GET", "/work-orders/{order}", None, (302, 403, 403, 200, 200, 200)),
    ("POST", "/work-orders/{order}/assign", "reassign_form", (302, 403, 403, 302, 403, 302)),
    ("POST", "/work-orders/{order}/transition", {"action": "cancel", "reason": "重复"}, (302, 403, 403, 302, 302, 302)),
    ("GET", "/admin/clocks", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/clocks/repair", {"on_site_minutes": "60"}, (302, 403, 403, 403, 403, 302)),
    ("GET", "/admin/calendar", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/calendar", {"from": "2099-01-01", "kind": "holiday", "name": "元旦"},
     (302, 403, 403, 403, 403, 302)),
    ("GET", "/admin/photo-rules", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/photo-rules", {"rule": "repair/before"}, (302, 403, 403, 403, 403, 302)),
    ("GET", "/admin/room-standard", None, (302, 403, 403, 403, 403, 200)),
    ("GET", "/admin/organisation", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/organisation/branches", {"name": "城北分公司", "code": "CB"}, (302, 403, 403, 403, 403, 302)),
    ("GET", "/admin/organisation/areas/{area}", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/organisation/areas/{area}/estates", {"name": "北辰花园"}, (302, 403, 403, 403, 403, 302)),
    ("GET", "/admin/staff", None, (302, 403, 403, 403, 403, 200)),
    ("GET", "/admin/staff/new", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/staff", {"role": "dispatcher", "name": "新人", "username": "xinren"},
     (302, 403, 403, 403, 403, 200)),
    ("GET", "/admin/staff/{technician}", None, (302, 403, 403, 403, 403, 200)),
    ("POST", "/admin/staff/{other_technician}/password", None, (302, 403, 403, 403, 403, 200)),
    ("GET", "/account/password", None, (302, 200, 200, 200, 200, 200)),
    ("GET", "/households?q=0101", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/households/export.csv", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/households/imports", None, (302, 403, 403, 403, 403, 200)),
    ("GET", "/api/v1/branches", None, (401, 403, 403, 200, 200, 200)),
    ("POST", "/api/v1/branches", {"name": "城北分公司", "code": "CB"}, (401, 403, 403, 403, 403, 201)),
    ("GET", "/api/v1/areas", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/v1/estates", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/v1/users", None, (401, 403, 403, 403, 403, 200)),
    ("PATCH", "/api/v1/households/{household}", {"name": "李女士", "phone": "13900001111"},
     (401, 403, 403, 200, 403, 200)),
    ("GET", "/households/{household}", None, (302, 403, 403, 200, 200, 200)),
    ("POST", "/households/{household}/contact", {"name": "李女士", "phone": "13900001111"},
     (302, 403, 403, 302, 403, 302)),
    ("POST", "/households/{household}", {"name": "李女士", "phone": "13900001111"}, (302, 403, 403, 403, 403, 422)),
    ("POST", "/admin/room-standard", {"day_starts": "06:00", "day_ends": "21:00", "day_min": "18", "night_min": "16"},
     (302, 403, 403, 403, 403, 302)),
    ("GET", "/reports/temperature", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/reports/temperature/export.xlsx", None, (302, 403, 403, 200, 200, 200)),
    ("POST", "/api/v1/commands", "note_command", (401, 409, 404, 403, 403, 403)),
    ("GET", "/api/v1/me/bundle", None, (401, 200, 200, 403, 403, 403)),
    ("GET", "/api/v1/price-list/current", None, (401, 404, 404, 404, 404, 404)),  # allowed; none is in force
    ("GET", "/price-list", None, (302, 403, 403, 200, 200, 200)),
    ("POST", "/price-list", {"name": "2027 价目表"}, (302, 403, 403, 403, 403, 302)),
    ("GET", "/kpis", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/kpis/orders?kpi=repair_timeliness", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/kpis/export.xlsx", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/kpis/ledger.xlsx", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/api/v1/callbacks", None, (401, 403, 403, 200, 200, 200)),
    ("GET", "/api/v1/callbacks/{callback}", None, (401, 403, 403, 200, 200, 200)),
    ("POST", "/api/v1/callbacks/{callback}/answer", {"solved": True, "satisfaction": "satisfied"},
     (401, 403, 403, 403, 200, 200)),
    ("POST", "/api/v1/callbacks/{callback}/attempts", {"note": "无人接听"}, (401, 403, 403, 403, 201, 201)),
    ("GET", "/callbacks", None, (302, 403, 403, 200, 200, 200)),
    ("GET", "/callbacks/{callback}", None, (302, 403, 403, 200, 200, 200)),
    ("POST", "/callbacks/{callback}/answer", {"solved": "yes", "satisfaction": "satisfied"},
     (302, 403, 403, 403, 302, 302)),
    ("POST", "/callbacks/{callback}/attempts", {"note": "关机"}, (302, 403, 403, 403, 302, 302)),
    ("GET", "/reconciliation", None, (302, 403, 403, 403, 200, 200)),
    ("GET", "/reconciliation/serials", None, (302, 403, 403, 403, 200, 200)),
    ("GET", "/reconciliation/copies", None, (302, 403, 403, 403, 200, 200)),
    ("POST", "/reconciliation/copies", {"serial": "CD-2026-000001"}, (302, 403, 403, 403, 404, 404)),
    ("POST", "/reconciliation/copies/scan/no-such-token", None, (302, 403, 403, 403, 404, 404)),
    ("GET", "/reconciliation/money", None, (302, 403, 403, 403, 200, 200)),
    ("GET", "/reconciliation/money/{technician}/2026-01-05", None, (302, 403, 403, 403, 200, 200)),
    ("POST", "/reconciliation/money/{technician}/2026-01-05/handovers", {"method": "cash", "amount": "10"},
     (302, 403, 403, 403, 303, 303)),
    ("POST", "/reconciliation/money/{technician}/2026-01-05/close", {"reason": "交款多 10 元,退还师傅"},
     (302, 403, 403, 403, 303, 303)),
]


def _body(spec, world):
    if spec == "new_order":
        return {"household_id": world["household"], **NEW_ORDER}
    if spec == "new_household":
        return {"estate_id": world["estate"], **NEW_HOUSEHOLD}
    if spec == "note_command":
        return {"client_uuid": "7d4c7d0e-56a5-4a58-9a55-3f7d3c5b3a11", "type": "note",
                "work_order_id": world["order"], "payload": {"text": "备注"}}
    if spec in ("reassign", "reassign_form"):
        return {"technician_id": world["other_technician"]}
    return spec


def _pending_callback(app, world):
    """The other technician's order, completed: its callback waits for the back office."""
    from app.auth.models import User
    from app.callbacks.services import open_for
    from app.extensions import db
    from app.work_orders.models import WorkOrder
    from tests import factories

    with app.app_context():
        order = db.session.get(WorkOrder, world["other_order"])
        factories.advance(order, db.session.get(User, world["other_technician"]), "accept", "depart", "arrive",
                          "complete")
        callback = open_for(order)
        db.session.commit()
        return callback.id


def _cases():
    for method, path, body, expected in MATRIX:
        for role, status in zip(ROLES, expected, strict=True):
            yield pytest.param(method, path, body, role, status, id=f"{method} {path} as {role}")


@pytest.mark.parametrize(("method", "path", "body", "role", "status"), list(_cases()))
def test_role_may_or_may_not(app, client, world, method, path, body, role, status):
    from app.extensions import db
    from app.households.models import Household

    with app.app_context():
        world["estate"] = db.session.get(Household, world["household"]).estate_id
    if "{callback}" in path:
        world["callback"] = _pending_callback(app, world)
    if role != "anonymous":
        world.as_(client, role)
    url = path.format(**world)
    data = _body(body, world)
    if path.startswith("/api/"):
        response = client.open(url, method=method, json=data)
    else:
        response = client.open(url, method=method, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if path.startswith("/api/") and status >= 400:
        assert set(response.get_json()) == {"error", "message", "fields"}


def test_a_technician_lists_only_their_own_orders(client, world):
    items = world.as_(client, "technician").get("/api/v1/work-orders").get_json()["items"]
    assert [item["id"] for item in items] == [world["order"]]
    jobs = client.get("/api/v1/me/jobs").get_json()
    assert [job["id"] for job in jobs] == [world["order"]]
