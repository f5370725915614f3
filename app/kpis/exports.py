"""The month as a workbook (one sheet per view of the page, same figures) and the complaint ledger."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.kpis import ledger
from app.kpis.measures import KPIS
from app.kpis.months import label
from app.spreadsheets import put_value, streamed_cell, workbook_bytes

BOLD = Font(bold=True)
MISS = Font(bold=True, color="B3261E")
HEAD = PatternFill("solid", fgColor="E9EDF1")


def _put(sheet, row, column, value, font=None):
    cell = put_value(sheet.cell(row=row, column=column), value)
    if font:
        cell.font = font
    return cell


def _figure_header(sheet, first_column):
    """Two header rows: each KPI over its three columns (达标数, 总数, 比率)."""
    for index, kpi in enumerate(KPIS):
        column = first_column + index * 3
        _put(sheet, 2, column, f"{kpi.name}(目标 {kpi.target_text})", BOLD)
        sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + 2)
        for offset, word in enumerate((kpi.hit_word, "总数", "比率")):
            _put(sheet, 3, column + offset, word, BOLD).fill = HEAD
        sheet.cell(row=2, column=column).alignment = Alignment(horizontal="center")


def _figure_cells(sheet, row, first_column, figures, font=None):
    for index, kpi in enumerate(KPIS):
        figure, column = figures[kpi.code], first_column + index * 3
        _put(sheet, row, column, figure.hits, font)
        _put(sheet, row, column + 1, figure.total, font)
        _rate(_put(sheet, row, column + 2, None, font or (None if figure.meets_target else MISS)), figure)


def _rate(cell, figure):
    """The page's figure, rounded down to a tenth of a percent, or "—" when there is nothing to count."""
    if figure.empty:
        return put_value(cell, "—")
    cell.value, cell.number_format = figure.hits * 1000 // figure.total / 1000, "0.0%"  # 0.666, not 0.66599…
    return cell


def _sheet(workbook, title, heading, names, rows, total=None):
    sheet = workbook.create_sheet(title)
    _put(sheet, 1, 1, heading, Font(bold=True, size=13))
    for column, name in enumerate(names, start=1):
        _put(sheet, 3, column, name, BOLD).fill = HEAD
    _figure_header(sheet, len(names) + 1)
    line = 4
    for cells, figures in rows:
        for column, value in enumerate(cells, start=1):
            _put(sheet, line, column, value)
        _figure_cells(sheet, line, len(names) + 1, figures)
        line += 1
    if total is not None:
        _put(sheet, line, len(names), total[0], BOLD)
        _figure_cells(sheet, line, len(names) + 1, total[1], BOLD)
    for column in range(1, len(names) + 1 + 3 * len(KPIS)):
        sheet.column_dimensions[get_column_letter(column)].width = 16 if column <= len(names) else 9
    sheet.freeze_panes = sheet.cell(row=4, column=len(names) + 1)
    return sheet


def month_workbook(report):
    scope = report.branch.name if report.branch else "全公司"
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = f"{label(report.month)} 考核指标"
    _sheet(workbook, "分公司", f"{title} · 各分公司", ["分公司"],
           [((row.label,), row.figures) for row in report.branches], ("全公司合计", report.company.figures))
    _sheet(workbook, "维修师傅", f"{title} · 维修师傅({scope})", ["分公司", "维修师傅"],
           [((row.note, row.label), row.figures) for row in report.technicians], (f"{scope}合计", report.scope.figures))
    _sheet(workbook, "月度趋势", f"近 {len(report.trend)} 个月 · {scope}", ["月份"],
           [((label(month),), figures) for month, figures in report.trend])
    return workbook_bytes(workbook)


def ledger_workbook(month, branch=None):
    """Written row by row (openpyxl's write-only mode): a month can hold thousands of complaints."""
    entries = ledger.complaints(month, branch.id if branch else None)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("投诉台账")
    for column, width in enumerate((6, 16, 17, 12, 10, 12, 14, 28, 40, 14, 10, 17, 17, 17, 30, 16, 12, 8), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C4"
    title = f"投诉台账 {label(month)} · {branch.name if branch else '全公司'}"
    sheet.append([streamed_cell(sheet, title, Font(bold=True, size=13))])
    sheet.append([])
    sheet.append([streamed_cell(sheet, name, BOLD, HEAD) for name in ledger.COLUMNS])
    for number, entry in enumerate(entries, start=1):
        sheet.append([streamed_cell(sheet, value) for value in entry.cells(number)])
    sheet.append([])
    _ledger_summary(sheet, len(entries), ledger.figures(entries))
    return workbook_bytes(workbook)


def _ledger_summary(sheet, received, figures):
    """The counts, then the three rates as the page shows them (same rounding, same verdict)."""
    sheet.append([None, streamed_cell(sheet, "受理投诉", BOLD), received])
    sheet.append([None, streamed_cell(sheet, "已派单(计入考核)", BOLD), figures[0].total])
    for figure in figures:
        sheet.append([None, streamed_cell(sheet, figure.kpi.hit_word, BOLD), figure.hits])
    for figure in figures:
        font = None if figure.meets_target else MISS
        rate = _rate(streamed_cell(sheet, None, font), figure)
        verdict = streamed_cell(sheet, figure.verdict, font)
        sheet.append([None, streamed_cell(sheet, figure.kpi.name, BOLD), rate, verdict])
