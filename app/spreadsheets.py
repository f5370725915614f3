"""Cells of the XLSX and CSV files people open in Excel or WPS (price list, KPI month, complaint ledger).

One rule for every export: text is written as text, never read as a formula (a customer's comment
"=HYPERLINK(…)" stays words), and without control characters (a bell, an escape, DEL: XML cannot carry
most of them, and a CSV opened in a terminal or another program should not either).
"""
import csv
import io
import re
from io import BytesIO

from flask import send_file

from app.errors import ValidationFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab and line breaks
FORMULA_START = ("=", "+", "-", "@")  # what Excel would run as a formula (CSV injection)


def exported_text(text):
    return CONTROL.sub("", text)


def put_value(cell, value):
    """An XLSX cell: a string is typed as text, so it is never a formula."""
    if isinstance(value, str):
        cell.value, cell.data_type = exported_text(value), "s"
    else:
        cell.value = value
    return cell


def streamed_cell(sheet, value, font=None, fill=None):
    """A cell of a write-only sheet (the large exports), by the same rule as put_value."""
    from openpyxl.cell import WriteOnlyCell

    cell = put_value(WriteOnlyCell(sheet), value)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def workbook_bytes(workbook):
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_cell(value):
    """A CSV cell: CSV has no types, so text that Excel would run gets a leading apostrophe."""
    text = exported_text(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def send_xlsx(data, name):
    """A workbook's bytes as a download named `name`."""
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


def table_workbook(title, headings, rows, widths=()):
    """One write-only sheet: a bold header row, then `rows` as they stream, every text a text cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([streamed_cell(sheet, heading, Font(bold=True)) for heading in headings])
    for row in rows:
        sheet.append([streamed_cell(sheet, value) for value in row])
    return workbook_bytes(book)


def csv_lines(headings, rows):
    """A CSV as it streams: UTF-8 with a BOM (so Excel reads the Chinese), each cell by csv_cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    yield "\ufeff" + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([csv_cell("" if value is None else value) for value in row])
        yield out.getvalue()


# ---- reading what people upload (price lists, households, staff) ----

class FileRefused(ValidationFailed):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


def cell_text(value):
    """A cell as the text it shows: 12.0 → "12", 12.5 → "12.5", True → "是"; our own export's guard against
    formulas (a leading apostrophe) taken off again; a full-width space is a space."""
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    text = str(value).replace("\u3000", " ").strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        return text[1:]
    return text
