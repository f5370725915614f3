"""What a visit uses: the phone's `material` command (公司承担), applied once and kept even when the van's
books are behind; a signed slip's company-supplied lines consumed from the van and put back on void; the
slip listing what the company bore."""
import json

import pytest

from app.commands.models import Command
from app.errors import Conflict, NotFound, RuleBroken
from app.extensions import db
from app.materials import consumption
from app.materials import services as stock
from app.materials.models import CONSUME, REVERSE, Material, StockMovement
from app.service_slips import content
from app.service_slips import services as slips
from app.visits.services import latest_visit
from tests import factories
from tests.conftest import sign_in
from tests.materials.conftest import material_command, on_site
from tests.service_slips.conftest import choices, signed_as_phone


def movements(**where):
    return db.session.execute(db.select(StockMovement).filter_by(**where).order_by(StockMovement.id)).scalars().all()


def test_a_material_recorded_on_the_phone_leaves_the_van_once_however_often_it_is_sent(app, client, stocked):
    order = on_site(stocked.area, stocked.tech)
    db.session.commit()
    sign_in(client, stocked.tech)
    command = material_command(order.id, stocked.materials["WX-001"].id, 200)
    first = client.post("/api/v1/commands", json=command)
    again = client.post("/api/v1/commands", json=command)
    assert (first.status_code, again.status_code, again.get_json()["replayed"]) == (200, 200, True)
    db.session.expire_all()
    assert stock.on_hand(stocked.van, stocked.materials["WX-001"]) == 300
    [used] = movements(kind=CONSUME, work_order_id=order.id)
    assert (used.quantity_centi, used.charged, used.below_zero, used.unit_cost_fen) == (200, False, False, 800)
    [visit_material] = first.get_json()["work_order"]["visit"]["materials"]
    assert (visit_material["code"], visit_material["quantity_centi"]) == ("WX-001", 200)


def test_a_van_whose_books_hold_less_still_takes_the_record_and_flags_it(stocked):
    order = on_site(stocked.area, stocked.tech)
    used = consumption.record_used(order, stocked.tech, stocked.materials["PJ-002"].id, 700)
    assert used.below_zero and stock.on_hand(stocked.van, stocked.materials["PJ-002"]) == -200


@pytest.mark.parametrize("problem", ["fraction", "other_branch", "unknown", "inactive"])
def test_a_bad_material_record_is_refused_and_nothing_moves(stocked, problem):
    order = on_site(stocked.area, stocked.tech)
    material = stocked.materials["PJ-002"]
    if problem == "other_branch":
        material.branch_id = factories.branch(code="CX").id
    if problem == "inactive":
        material.active = False
    material_id, centi = (999999 if problem == "unknown" else material.id), (150 if problem == "fraction" else 100)
    error = NotFound if problem in ("unknown", "inactive") else RuleBroken
    with pytest.raises(error), db.session.begin_nested():
        consumption.record_used(order, stocked.tech, material_id, centi)
    assert movements(kind=CONSUME) == [] and stock.on_hand(stocked.van, stocked.materials["PJ-002"]) == 500


def test_a_refused_material_command_is_kept_as_refused_with_its_reason(app, client, stocked):
    order = on_site(stocked.area, stocked.tech)
    db.session.commit()
    sign_in(client, stocked.tech)
    answer = client.post("/api/v1/commands", json=material_command(order.id, stocked.materials["PJ-002"].id, 150))
    assert answer.status_code == 409 and "整数" in answer.get_json()["message"]
    refused = db.session.execute(db.select(Command).filter_by(work_order_id=order.id)).scalar_one()
    assert (refused.outcome, refused.http_status) == ("refused", 409)
    assert client.post("/api/v1/commands", json=material_command(order.id, stocked.materials["PJ-002"].id, -100)
                       ).status_code == 422


def test_the_slip_lists_what_the_company_bore_and_the_customer_signs_it(stocked):
    order = on_site(stocked.area, stocked.tech)
    for code, centi in (("WX-001", 100), ("CL-003", 100), ("WX-001", 100)):
        consumption.record_used(order, stocked.tech, stocked.materials[code].id, centi)
    slip = slips.sign(stocked.tech, order, signed_as_phone(stocked.tech, order, choices(method="none")))
    document = json.loads(slip.content)
    assert document["v"] == 3
    assert [(m["code"], m["quantity_centi"]) for m in document["company_materials"]] == [("CL-003", 100),
                                                                                         ("WX-001", 200)]
    with pytest.raises(Conflict, match="服务单已签名"), db.session.begin_nested():
        consumption.record_used(order, stocked.tech, stocked.materials["WX-001"].id, 100)


def test_a_phone_of_before_materials_still_has_its_slip_kept(stocked):
    """A v2 document (no company_materials) signed offline by a phone not yet updated matches byte for byte."""
    order = on_site(stocked.area, stocked.tech)
    submission = choices(method="none")
    visit = latest_visit(order)
    document = content.build(order, visit, slips._signing(visit, submission), version=2)
    slip = slips.sign(stocked.tech, order, {**submission, "content": document,
                                            "content_sha256": content.digest(document)})
    assert json.loads(slip.content)["v"] == 2


def paid_slip(stocked, order=None, **wanted):
    order = order or on_site(stocked.area, stocked.tech, "paid_service", "customer", "paid")
    wanted = {"lines": [("PJ-002", "2", "company"), ("CL-010", "1.5", "company"), ("RG-002", "1", "company")],
              "method": "cash", "collected": 9000 + 1875 + 6000, **wanted}
    return order, slips.sign(stocked.tech, order, signed_as_phone(stocked.tech, order, choices(stocked.version,
                                                                                               **wanted)))


def test_a_signed_slips_company_supplied_lines_leave_the_van_at_signing(stocked):
    _order, slip = paid_slip(stocked)
    taken = {(m.material.code, m.quantity_centi, m.charged) for m in movements(slip_id=slip.id)}
    assert taken == {("PJ-002", 200, True), ("CL-010", 150, True)}  # labour takes no material
    assert stock.on_hand(stocked.van, stocked.materials["PJ-002"]) == 300
    assert stock.on_hand(stocked.van, stocked.materials["CL-010"]) == 350


def test_what_the_customer_brings_takes_nothing_from_the_van(stocked):
    _order, slip = paid_slip(stocked, lines=[("PJ-002", "1", "customer")], collected=3000)
    assert movements(slip_id=slip.id) == [] and stock.on_hand(stocked.van, stocked.materials["PJ-002"]) == 500


def test_a_voided_slip_puts_its_materials_back_and_its_replacement_takes_them_again(stocked):
    order, slip = paid_slip(stocked)
    slips.void(stocked.admin, slip, "金额写错")
    assert {m.kind for m in movements(slip_id=slip.id)} == {CONSUME, REVERSE}
    assert stock.on_hand(stocked.van, stocked.materials["PJ-002"]) == 500
    _order, replacement = paid_slip(stocked, order, replaces=slip.serial)
    assert stock.on_hand(stocked.van, stocked.materials["PJ-002"]) == 300
    assert stock.ledger_sum(stocked.van, stocked.materials["PJ-002"]) == 300
    assert len(movements(slip_id=replacement.id)) == 2


def test_a_material_of_another_branch_cannot_be_recorded_on_this_branchs_visit(stocked):
    other = Material(code="ZZ-1", name="别处的阀", unit="个", cost_fen=1,
                     branch_id=factories.branch(code="CX").id)
    db.session.add(other)
    db.session.flush()
    order = on_site(stocked.area, stocked.tech)
    with pytest.raises(RuleBroken, match="不是本分公司的材料"), db.session.begin_nested():
        consumption.record_used(order, stocked.tech, other.id, 100)
