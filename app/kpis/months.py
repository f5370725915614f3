"""Months as the KPIs count them: YYYYMM integers in the company's zone (Beijing time)."""
from app.errors import ValidationFailed
from app.localtime import now_utc, to_local


def month_of(moment):
    """The Beijing month of a moment: 23:50 on 31 October in Beijing is October's, though it is 15:50 UTC."""
    local = to_local(moment)
    return local.year * 100 + local.month


def current_month():
    return month_of(now_utc())


# The months a page may ask for: enough history and future for any company, none that overflow a date.
MONTH_RANGE = (200001, 209912)
MONTH_RULE = "月份应为 2000-01 到 2099-12 之间的 YYYY-MM,例如 2026-11。"


def parse_month(text):
    """'2026-11' → 202611. :raise ValidationFailed: not a month of MONTH_RANGE ("²" is a digit to
    str.isdigit, not to int(): ASCII only)."""
    year, _, month = (text or "").partition("-")
    digits = (text or "").isascii() and year.isdigit() and month.isdigit() and len(year) == 4 and len(month) <= 2
    if not (digits and 1 <= int(month) <= 12 and MONTH_RANGE[0] <= int(year) * 100 + int(month) <= MONTH_RANGE[1]):
        raise ValidationFailed(MONTH_RULE, {"month": [MONTH_RULE]})
    return int(year) * 100 + int(month)


def shift(month, months):
    index = (month // 100) * 12 + month % 100 - 1 + months
    return (index // 12) * 100 + index % 12 + 1


def months_up_to(month, count):
    """The `count` months ending with `month`, oldest first."""
    return [shift(month, -n) for n in range(count - 1, -1, -1)]


def iso(month):
    return f"{month // 100:04d}-{month % 100:02d}"


def label(month):
    return f"{month // 100}年{month % 100}月"


def short_label(month):
    return f"{month % 100}月" if month % 100 != 1 else f"{month // 100 % 100}年1月"
