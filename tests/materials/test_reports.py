"""The month's materials: usage at cost, split into what customers paid for and what the company bore, and
the reconciliation of every signed slip's company-supplied lines against the consumption recorded."""
import io

from openpyxl import load_workbook

from app.kpis.months import current_month
from app.materials import consumption, reports
from app.service_slips import services as slips
from tests.materials.conftest import on_site
from tests.materials.test_visit_materials import paid_slip
from tests.service_slips.conftest import choices, signed_as_phone


def test_the_month_splits_cost_into_charged_and_borne_per_technician(stocked):
    free = on_site(stocked.area, stocked.tech)
    consumption.record_used(free, stocked.tech, stocked.materials["WX-001"].id, 200)  # 2 × ¥8.00
    consumption.record_used(free, stocked.tech, stocked.materials["CL-010"].id, 50)  # 0.5 m × ¥6.50
    paid_slip(stocked)  # 2 valves × ¥27.00 and 1.5 m × ¥6.50, charged
    rows = reports.usage(current_month(), stocked.branch.id)
    split = {row.material.code: (row.charged_centi, row.charged_cost_fen, row.company_centi, row.company_cost_fen)
             for row in rows}
    assert split == {"CL-010": (150, 975, 50, 325), "PJ-002": (200, 5400, 0, 0), "WX-001": (0, 0, 200, 1600)}
    assert reports.by_technician(rows) == [("城东分公司", "张建军", 5400 + 975, 1600 + 325)]


def test_a_voided_slip_leaves_nothing_in_the_month(stocked):
    _order, slip = paid_slip(stocked)
    slips.void(stocked.admin, slip, "金额写错")
    assert reports.usage(current_month(), stocked.branch.id) == []


def test_the_reconciliation_lists_charged_but_not_consumed_and_consumed_but_not_charged(stocked):
    paid_slip(stocked)  # matches: the valve and the pipe left the van when it was signed
    # A fitting the price list does not link to any material: charged, nothing left the stores.
    _order, unlinked = paid_slip(stocked, lines=[("PJ-099", "1", "company")], collected=800)
    # A paid visit where a material was recorded as borne by the company.
    order = on_site(stocked.area, stocked.tech, "paid_service", "customer", "paid")
    consumption.record_used(order, stocked.tech, stocked.materials["CL-003"].id, 100)
    _order, borne = paid_slip(stocked, order)
    found = reports.reconcile(current_month(), stocked.branch.id)
    assert (found.slips, found.matched) == (3, 1)
    assert {(m.slip.id, m.problem, m.charged_centi, m.consumed_centi) for m in found.mismatches} == {
        (unlinked.id, reports.CHARGED_NOT_CONSUMED, 100, 0), (borne.id, reports.CONSUMED_NOT_CHARGED, 0, 100)}


def test_a_free_repairs_materials_are_no_mismatch(stocked):
    order = on_site(stocked.area, stocked.tech)
    consumption.record_used(order, stocked.tech, stocked.materials["WX-001"].id, 100)
    slips.sign(stocked.tech, order, signed_as_phone(stocked.tech, order, choices(method="none")))
    assert reports.reconcile(current_month(), stocked.branch.id).mismatches == []


def test_the_workbook_has_the_usage_and_the_mismatches(stocked):
    order = on_site(stocked.area, stocked.tech, "paid_service", "customer", "paid")
    consumption.record_used(order, stocked.tech, stocked.materials["CL-003"].id, 100)
    paid_slip(stocked, order)
    sheet = load_workbook(io.BytesIO(reports.workbook(current_month(), stocked.branch.id))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["分公司", "维修师傅", "材料编码"]
    assert any(row[0] == "出库未收费" for row in values)
