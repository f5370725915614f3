"""Twenty materials recorded at one instant by phones, over real HTTP to gunicorn with four workers, all from
the same van and the same material: every one applied once, and the van's figure is exactly the start less
twenty (no lost update, on whichever database the suite runs on)."""
import sys
from pathlib import Path

import pytest

from app.auth.models import User
from app.extensions import db
from app.materials import services as stock
from app.materials.models import CONSUME, Material, StockMovement
from app.visits import services as visits
from tests import factories
from tests.materials.conftest import add_materials, material_command, on_site, stock_van

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import burst  # noqa: E402

ORDERS, EACH = 4, 5


@pytest.fixture
def server(app, tmp_path):
    with burst.Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], app.config["SHIFU_FILES_ROOT"], workers=4,
                        log_path=tmp_path / "gunicorn.log") as running:
        yield running


def test_twenty_phones_recording_the_same_material_at_once_leave_the_right_figure(app, server):
    with app.app_context():
        visits.ensure_default_photo_rules()
        admin = factories.user("admin")
        branch = factories.branch(code="CD")
        area = factories.area(branch)
        tech = factories.technician(area, username="T9001")
        materials = add_materials()
        stock_van(admin, branch, tech, materials, units={"WX-001": 3000})
        orders = [on_site(area, tech).id for _ in range(ORDERS)]
        screen, tech_id = materials["WX-001"].id, tech.id
        db.session.commit()
    plan = burst.Plan(commands={"T9001": [material_command(order, screen, 100) for order in orders
                                          for _ in range(EACH)]})
    answers = burst.fire(burst.phones(server.url, plan))
    assert sorted(answer[2] for answer in answers) == [200] * ORDERS * EACH, f"gunicorn: {server.log_path}"
    with app.app_context():
        van = stock.van_of(db.session.get(User, tech_id))
        material = db.session.get(Material, screen)
        assert stock.on_hand(van, material) == 3000 - ORDERS * EACH * 100 == stock.ledger_sum(van, material)
        assert db.session.query(StockMovement).filter_by(kind=CONSUME).count() == ORDERS * EACH
