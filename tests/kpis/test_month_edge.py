"""A complaint belongs to the Beijing month it was received in: in the figures and in the ledger alike."""
import io

from openpyxl import load_workbook

from app.kpis import exports, services
from tests.conftest import beijing
from tests.kpis.conftest import NOVEMBER, answer, complete, place

OCTOBER = 202610
COUNTED = ("complaint_timeliness", "closure", "complaint_satisfaction", "satisfaction")


def _complaint(company, opened, satisfaction):
    order = complete(company.order(company.zhao, "complaint", "维修后没清理"), company.zhao)
    place(order, opened, dispatched_at=5, done_at=60)
    answer(order, company.back_office, satisfaction)
    return order


def _ledger(month):
    rows = list(load_workbook(io.BytesIO(exports.ledger_workbook(month)))["投诉台账"].iter_rows(values_only=True))
    return ([(row[1], row[2]) for row in rows if isinstance(row[0], int)],
            {row[1]: row[2] for row in rows[3:] if row[0] is None and row[1]})


def test_a_complaint_at_23_50_beijing_on_31_october_is_october_s_and_at_00_10_on_1_november_november_s(company):
    last_minute = _complaint(company, beijing(2026, 10, 31, 23, 50), "satisfied")  # 15:50 UTC on 31 October
    first_minute = _complaint(company, beijing(2026, 11, 1, 0, 10), "fair")  # 16:10 UTC, still 31 October
    october = services.month_report(OCTOBER).company.figures
    november = services.month_report(NOVEMBER).company.figures
    assert [(october[code].hits, october[code].total) for code in COUNTED] == [(1, 1)] * 4
    assert [(november[code].hits, november[code].total) for code in COUNTED] == [(1, 1), (1, 1), (0, 1), (0, 1)]

    entries, summary = _ledger(OCTOBER)
    assert entries == [(last_minute.number, "2026-10-31 23:50")]
    assert (summary["受理投诉"], summary["客户满意"], summary["投诉处理满意率"]) == (1, 1, 1)
    entries, summary = _ledger(NOVEMBER)
    assert entries == [(first_minute.number, "2026-11-01 00:10")]
    assert (summary["受理投诉"], summary["客户满意"], summary["投诉处理满意率"]) == (1, 0, 0)
