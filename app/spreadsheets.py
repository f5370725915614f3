"""Cells of the XLSX files people open in Excel or WPS (price list, KPI month, complaint ledger).

Text is written as text, never read as a formula (a customer's comment "=HYPERLINK(…)" stays words),
and without the control characters XML cannot carry.
"""
import re
from io import BytesIO

from flask import send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def put_value(cell, value):
    if isinstance(value, str):
        cell.value, cell.data_type = CONTROL.sub("", value), "s"
    else:
        cell.value = value
    return cell


def send_xlsx(data, name):
    """A workbook's bytes as a download named `name`."""
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
