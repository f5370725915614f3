"""Slip serial numbers (单号): per branch per year, e.g. CD-2026-000137, assigned at signing, no gaps.

The counter row is incremented inside the signing transaction (app/numbering.py), so a rolled-back
signing gives its number back and concurrent signings queue on the row instead of colliding.
"""
from app.localtime import to_local
from app.numbering import next_value

WIDTH = 6


def counter_name(branch_code, year):
    return f"slip:{branch_code}:{year}"


def serial_prefix(branch_code, year):
    return f"{branch_code}-{year}-"


def format_serial(branch_code, year, number):
    """CD-2026-000137: the branch, the company's year, the number in that year."""
    return f"{serial_prefix(branch_code, year)}{number:0{WIDTH}d}"


def next_serial(branch, signed_at):
    year = to_local(signed_at).year  # the company's year: 31 Dec 23:30 in Beijing is still that year
    return format_serial(branch.code, year, next_value(counter_name(branch.code, year)))
