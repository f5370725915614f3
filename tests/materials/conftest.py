"""A branch with a catalogue and stock: its store, a technician's van holding valves, pipe and filter screens,
a price list whose valve and pipe take those materials, and orders waiting on site."""
import uuid
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.materials import services as stock
from app.materials.models import ISSUE, RECEIPT, Material
from app.price_list import services as price_list
from app.visits import services as visits
from tests import factories
from tests.paid_service.test_quotes import PIPE
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft

CATALOGUE = (("PJ-002", "铜球阀", "DN20", "个", True, 2700), ("CL-010", "PPR 管", "DN20", "米", False, 650),
             ("WX-001", "过滤器滤网", "DN20", "片", True, 800), ("CL-003", "生料带", "20 m", "卷", True, 120))


# A fitting the price list names no material for: charging for it takes nothing from the van.
UNLINKED = {"code": "PJ-099", "name": "暖气片丝堵", "specification": "1 寸", "unit": "个", "category": "fitting",
            "price_fen": 800, "is_basic_labour_fee": False}


def add_materials(branch_id=None):
    found = {}
    for code, name, specification, unit, whole, cost in CATALOGUE:
        found[code] = Material(code=code, name=name, specification=specification, unit=unit, whole_units=whole,
                               cost_fen=cost, min_stock_centi=1000, branch_id=branch_id)
        db.session.add(found[code])
    db.session.flush()
    return found


def linked_price_list(admin, materials):
    """The valve and the pipe name their materials; labour and the basic fee take none."""
    version = draft(admin, items=(
        {**VALVE, "material_id": materials["PJ-002"].id, "material_centi": 100},
        {**PIPE, "material_id": materials["CL-010"].id, "material_centi": 100}, BASIC_FEE, LABOUR, UNLINKED))
    price_list.publish(admin, version, price_list.local_today())
    return version


def stock_van(admin, branch, technician, materials, units=None):
    store = stock.store_of(branch)
    for code, material in materials.items():
        stock.move(admin, RECEIPT, material, 10000, target=store)
        stock.move(admin, ISSUE, material, (units or {}).get(code, 500), source=store, target=stock.van_of(technician))
    return store


def on_site(area, technician, category="repair", fault_location="company", resolution="free"):
    order = factories.work_order(factories.household(factories.estate(area)), category=category,
                                 technician_=technician, description="暖气不热")
    factories.advance(order, technician, "accept", "depart", "arrive")
    if fault_location:
        visits.record_repair(order, technician, fault_location, resolution, "滤网堵塞", "更换滤网")
    return order


@pytest.fixture
def stocked(ctx):
    visits.ensure_default_photo_rules()
    admin = factories.user("admin")
    branch = factories.branch(code="CD", name="城东分公司")
    area = factories.area(branch)
    tech = factories.technician(area, name="张建军")
    materials = add_materials()
    version = linked_price_list(admin, materials)
    store = stock_van(admin, branch, tech, materials)
    return SimpleNamespace(admin=admin, branch=branch, area=area, tech=tech, materials=materials, version=version,
                           store=store, van=stock.van_of(tech))


def material_command(order_id, material_id, centi):
    return {"client_uuid": str(uuid.uuid4()), "type": "material", "work_order_id": order_id,
            "payload": {"material_id": material_id, "quantity_centi": centi}}


@pytest.fixture
def depot(app):
    """The same, committed, as ids: for tests over HTTP (outside an application context of their own, so
    that each request signs its user in afresh)."""
    with app.app_context():
        visits.ensure_default_photo_rules()
        admin = factories.user("admin")
        branch = factories.branch(code="CD", name="城东分公司")
        area = factories.area(branch)
        tech = factories.technician(area, name="张建军")
        materials = add_materials()
        linked_price_list(admin, materials)
        stock_van(admin, branch, tech, materials)
        other_branch = factories.branch(code="CX", name="城西分公司")
        ids = {"admin": admin.id, "branch": branch.id, "area": area.id, "tech": tech.id,
               "materials": {code: m.id for code, m in materials.items()},
               "keeper": factories.user("storekeeper", branch_=branch, name="郭淑芬").id,
               "other_keeper": factories.user("storekeeper", branch_=other_branch).id,
               "other_tech": factories.technician(factories.area(other_branch)).id,
               "other_branch": other_branch.id,
               **{role: factories.user(role).id for role in ("dispatcher", "back_office")}}
        db.session.commit()
    return ids


def client_as(app, user_id):
    """A test client signed in as the user."""
    from app.auth.models import User
    from tests.conftest import sign_in

    with app.app_context():
        return sign_in(app.test_client(), db.session.get(User, user_id))
