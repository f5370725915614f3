"""An order belongs to the Beijing month it was opened in, whatever the UTC date says."""
from unittest import mock

import pytest

from app.errors import ValidationFailed
from app.kpis import services
from app.kpis.months import iso, month_of, months_up_to, parse_month, shift
from app.work_orders import services as orders
from tests.conftest import beijing
from tests.kpis.conftest import complete, place


def test_23_50_beijing_on_the_last_day_belongs_to_that_month(ctx):
    moment = beijing(2026, 10, 31, 23, 50)
    assert (moment.day, moment.hour) == (31, 15)  # 15:50 UTC
    assert month_of(moment) == 202610


def test_00_10_beijing_on_the_first_belongs_to_the_new_month_though_utc_is_still_in_the_old(ctx):
    moment = beijing(2026, 11, 1, 0, 10)
    assert (moment.month, moment.day) == (10, 31)  # 16:10 UTC on 31 October
    assert month_of(moment) == 202611


def test_opening_an_order_records_its_beijing_month(company):
    household = company.order(company.zhang).household
    with mock.patch("app.work_orders.services.now_utc", return_value=beijing(2026, 12, 31, 23, 50)):
        order = orders.open_work_order(company.dispatcher, household, "hotline", "repair", "不热")
    assert order.opened_month == 202612
    with mock.patch("app.work_orders.services.now_utc", return_value=beijing(2027, 1, 1, 0, 10)):
        order = orders.open_work_order(company.dispatcher, household, "hotline", "repair", "不热")
    assert order.opened_month == 202701


def test_an_order_at_the_edge_counts_in_its_beijing_month_on_the_page(company):
    last_minute = complete(company.order(company.zhang), company.zhang)
    place(last_minute, beijing(2026, 10, 31, 23, 50), contacted_at=5, arrived_at=40, done_at=100)
    first_minute = complete(company.order(company.zhang), company.zhang)
    place(first_minute, beijing(2026, 11, 1, 0, 10), contacted_at=5, arrived_at=40, done_at=100)
    assert services.month_report(202610).company.figures["repair_timeliness"].total == 1
    assert services.month_report(202611).company.figures["repair_timeliness"].total == 1


def test_month_arithmetic_and_parsing():
    assert shift(202601, -1) == 202512 and shift(202612, 1) == 202701
    assert months_up_to(202602, 3) == [202512, 202601, 202602]
    assert parse_month("2026-11") == 202611 and iso(202611) == "2026-11"
    for bad in ("2026-13", "2026/11", "11-2026", "abcd-ef", ""):
        with pytest.raises(ValidationFailed):
            parse_month(bad)
