"""The month as XLSX: one sheet per view, totals that match the page; and the complaint ledger."""
import io

from openpyxl import load_workbook

from app.kpis import exports, ledger, services
from app.kpis.measures import KPIS
from app.work_orders import services as orders
from tests.conftest import beijing
from tests.kpis.conftest import NOVEMBER, answer, complete, place

OPENED = beijing(2026, 11, 16, 10, 0)  # a Monday


def _month(company):
    for tech, minutes in ((company.zhang, 40), (company.zhang, 150), (company.wang, 60), (company.zhao, 30)):
        order = complete(company.order(tech), tech)
        place(order, OPENED, contacted_at=10, arrived_at=minutes, done_at=minutes + 60)
        answer(order, company.back_office, "satisfied" if minutes < 100 else "dissatisfied")
    complaint = complete(company.order(company.zhao, "complaint", "=HYPERLINK(\"http://x\")维修后没清理"), company.zhao)
    place(complaint, OPENED, dispatched_at=5, done_at=24 * 60)
    answer(complaint, company.back_office, "satisfied")
    waiting = place(company.order(company.zhang, "complaint", "电话没人接"), OPENED, dispatched_at=5)
    household = company.order(company.zhang).household
    unassigned = place(orders.open_work_order(company.dispatcher, household, "letter", "complaint", "来信投诉"), OPENED)
    return complaint, waiting, unassigned


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]


def _summary(sheet):
    """The ledger's summary under the complaints: {name: value}."""
    return {row[1]: row[2] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] is None and row[1]}


def test_the_month_workbook_has_a_sheet_per_view_and_its_totals_match_the_page(company):
    _month(company)
    report = services.month_report(NOVEMBER)
    book = load_workbook(io.BytesIO(exports.month_workbook(report)))
    assert book.sheetnames == ["分公司", "维修师傅", "月度趋势"]
    branches, people = _rows(book["分公司"]), _rows(book["维修师傅"])
    assert [row[0] for row in branches] == ["城东分公司", "城西分公司", "全公司合计"]
    assert [row[1].split("(")[0] for row in people] == ["张建军", "王海涛", "赵立新", "全公司合计"]
    for index, kpi in enumerate(KPIS):
        figure = report.company.figures[kpi.code]
        for column, value in ((1 + 3 * index, figure.hits), (2 + 3 * index, figure.total)):
            assert branches[-1][column] == sum(row[column] for row in branches[:-1]) == value
            # the technicians add up to the company: one column further right, after 分公司
            assert people[-1][column + 1] == sum(row[column + 1] for row in people[:-1]) == value
    repair = people[-1][2:5]
    assert repair == [3, 4, 0.75]  # 3 of 4 repairs timely, the rate as the page shows it
    assert book["分公司"]["D4"].number_format == "0.0%"
    november = next(row for row in _rows(book["月度趋势"]) if row[0] == "2026年11月")
    assert november[1:] == branches[-1][1:]


def test_the_complaint_ledger_lists_every_complaint_of_the_month(company):
    complaint, waiting, unassigned = _month(company)
    book = load_workbook(io.BytesIO(exports.ledger_workbook(NOVEMBER)))
    sheet = book["投诉台账"]
    header = [cell.value for cell in sheet[3]]
    assert header[:3] == ["序号", "工单号", "受理时间"] and "回访满意度" in header and "是否及时办结" in header
    values = sheet.iter_rows(min_row=4, max_row=6, values_only=True)
    rows = [dict(zip(header, row, strict=True)) for row in values]
    assert [row["工单号"] for row in rows] == [complaint.number, waiting.number, unassigned.number]
    done = rows[0]
    assert done["投诉内容"].startswith("=HYPERLINK")  # kept as text, never run as a formula
    assert sheet.cell(row=4, column=9).data_type == "s"
    assert (done["分公司"], done["处理人"]) == ("城西分公司", "赵立新")
    assert (done["回访满意度"], done["是否及时办结"]) == ("满意", "是")
    assert done["受理时间"] == "2026-11-16 10:00" and done["办结时间"] == "2026-11-17 10:00"
    assert (rows[1]["是否及时办结"], rows[2]["是否及时办结"]) == ("未办结", "不计(未派单或已取消)")
    assert _summary(sheet) == {"受理投诉": 3, "已派单(计入考核)": 2, "按时办结": 1, "已办结": 1, "客户满意": 1,
                               "投诉处理及时率": 0.5, "投诉处理办结率": 0.5, "投诉处理满意率": 0.5}
    figures = services.month_report(NOVEMBER).company.figures
    assert (figures["closure"].total, figures["closure"].hits, figures["complaint_timeliness"].hits) == (2, 1, 1)


def test_the_ledger_of_one_branch_holds_only_its_complaints(company):
    complaint, _waiting, _unassigned = _month(company)
    book = load_workbook(io.BytesIO(exports.ledger_workbook(NOVEMBER, company.west)))
    numbers = [row[1] for row in book.active.iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]
    assert numbers == [complaint.number]


def test_a_reopened_complaint_stays_in_the_ledger_as_not_timely_with_why(company):
    complaint = complete(company.order(company.zhao, "complaint", "维修后没清理"), company.zhao)
    place(complaint, OPENED, dispatched_at=5, done_at=60)
    answer(complaint, company.back_office, "dissatisfied", solved=False)
    (entry,) = ledger.complaints(NOVEMBER)
    assert entry.assigned and entry.timely_text == "否(回访未解决,重新处理中)"
    assert entry.result.startswith("回访未解决,重新处理:客户反映:还是不热") and entry.satisfaction.startswith("不满意")


def test_the_ledger_summary_gives_the_page_s_complaint_figures_rounded_down_as_the_page_does(company):
    on_time = complete(company.order(company.zhao, "complaint", "维修后没清理"), company.zhao)
    place(on_time, OPENED, dispatched_at=5, done_at=24 * 60)
    answer(on_time, company.back_office, "satisfied")
    late = complete(company.order(company.zhang, "complaint", "上门迟到"), company.zhang)
    place(late, OPENED, dispatched_at=5, done_at=6 * 24 * 60)
    answer(late, company.back_office, "satisfied")
    reopened = complete(company.order(company.wang, "complaint", "还是不热"), company.wang)
    place(reopened, OPENED, dispatched_at=5, done_at=60)
    answer(reopened, company.back_office, "dissatisfied", solved=False)
    figures = services.month_report(NOVEMBER).company.figures
    page = [figures[code] for code in ("complaint_timeliness", "closure", "complaint_satisfaction")]
    assert [(f.hits, f.total, f.text) for f in page] == [(1, 3, "33.3%"), (2, 3, "66.6%"), (2, 3, "66.6%")]

    sheet = load_workbook(io.BytesIO(exports.ledger_workbook(NOVEMBER)))["投诉台账"]
    summary = _summary(sheet)
    assert (summary["受理投诉"], summary["已派单(计入考核)"]) == (3, 3)
    for figure in page:
        assert summary[figure.kpi.hit_word] == figure.hits
        assert f"{summary[figure.kpi.name]:.1%}" == figure.text  # as Excel shows it under "0.0%"
    rates = {row[1].value: row for row in sheet.iter_rows(min_row=4) if row[0].value is None and row[1].value}
    for figure in page:
        rate, verdict = rates[figure.kpi.name][2:4]
        assert (rate.number_format, verdict.value) == ("0.0%", figure.verdict)
        # below target: red, and the verdict says so in words
        assert (rate.font.color.rgb, verdict.font.color.rgb) == (exports.MISS.color.rgb,) * 2
    assert rates["投诉处理办结率"][3].value == "未达标:1 件未办结"
