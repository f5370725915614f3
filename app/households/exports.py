"""Households as files, streamed: CSV (UTF-8 with a BOM, for Excel) and XLSX (write-only), text as text."""
import csv
import io

from app.spreadsheets import csv_cell, streamed_cell, workbook_bytes


def csv_lines(headings, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    yield "\ufeff" + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([csv_cell(value) for value in row])
        yield out.getvalue()


def workbook(title, headings, rows):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append([streamed_cell(sheet, heading, Font(bold=True)) for heading in headings])
    for row in rows:
        sheet.append([streamed_cell(sheet, value) for value in row])
    return workbook_bytes(book)
