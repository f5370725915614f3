"""Cells of the XLSX files people open in Excel or WPS (price list, KPI month, complaint ledger).

Text is written as text, never read as a formula (a customer's comment "=HYPERLINK(…)" stays words),
and without the control characters XML cannot carry.
"""
import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def put_value(cell, value):
    if isinstance(value, str):
        cell.value, cell.data_type = CONTROL.sub("", value), "s"
    else:
        cell.value = value
    return cell
