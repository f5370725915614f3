"""Money: typed yuan become exact fen, fen are shown as ¥1,234.50, and slips write 大写金额 by the banking rules."""
from decimal import Decimal

import pytest

from app.price_list.money import NotAnAmount, format_fen, in_capitals, parse_yuan, yuan_text


@pytest.mark.parametrize(("typed", "fen"), [
    ("12", 1200), ("12.5", 1250), ("12.50", 1250), ("0.05", 5), ("0", 0), ("12.", 1200),
    ("¥1,234.50", 123450), ("￥1,234.50", 123450), ("1234.50元", 123450), (" 45.00 ", 4500),
    ("1,000,000", 100000000), ("１２.５", 1250), ("12.500", 1250),
    (12, 1200), (12.5, 1250), (0.1, 10), (45.0, 4500), (Decimal("19.99"), 1999), (1234.56, 123456),
])
def test_typed_yuan_become_exact_fen(typed, fen):
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize(("typed", "reason"), [
    ("12.345", "金额最多两位小数(到分)"), (0.125, "金额最多两位小数(到分)"), ("-1", "金额不能为负数"),
    ("-0.50", "金额不能为负数"), (-3, "金额不能为负数"), ("abc", "不是有效金额"), ("", "不是有效金额"),
    ("1,23", "不是有效金额"), ("12,34.5", "不是有效金额"), (".5", "不是有效金额"), ("1.2.3", "不是有效金额"),
    ("1e3", "不是有效金额"), (float("nan"), "不是有效金额"), (float("inf"), "不是有效金额"), (True, "不是有效金额"),
    ("12 34", "不是有效金额"),
])
def test_what_is_not_an_amount_is_refused_with_the_reason(typed, reason):
    with pytest.raises(NotAnAmount) as refused:
        parse_yuan(typed)
    assert str(refused.value) == reason


@pytest.mark.parametrize(("fen", "shown"), [
    (0, "¥0.00"), (5, "¥0.05"), (4500, "¥45.00"), (123450, "¥1,234.50"), (100000000, "¥1,000,000.00"),
    (-150, "-¥1.50"),
])
def test_fen_are_shown_as_yuan_with_two_decimals(fen, shown):
    assert format_fen(fen) == shown


def test_plain_yuan_for_files_and_forms_read_back_the_same():
    for fen in (0, 5, 50, 4500, 123450, 99999999):
        assert parse_yuan(yuan_text(fen)) == fen


@pytest.mark.parametrize(("yuan", "words"), [
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角整"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("30.00", "叁拾元整"),
    ("45.00", "肆拾伍元整"),
    ("100", "壹佰元整"),
    ("105", "壹佰零伍元整"),
    ("1001.00", "壹仟零壹元整"),
    ("1010.10", "壹仟零壹拾元壹角整"),
    ("1100", "壹仟壹佰元整"),
    ("1234.50", "壹仟贰佰叁拾肆元伍角整"),
    ("1409.50", "壹仟肆佰零玖元伍角整"),  # a 0 in the middle is written 零
    ("6007.14", "陆仟零柒元壹角肆分"),  # a run of 0s is one 零
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),  # 元 position 0, 角 not: 零 optional, left out
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # 角 0, 分 not: 零 after 元
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("10000", "壹万元整"),
    ("100100", "壹拾万零壹佰元整"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("100000.07", "壹拾万元零柒分"),
    ("10001000", "壹仟万壹仟元整"),
    ("10000001", "壹仟万零壹元整"),
    ("100000000", "壹亿元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100000001", "壹亿零壹元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_amounts_in_capitals_follow_the_banking_rules(yuan, words):
    assert in_capitals(parse_yuan(yuan)) == words


def test_capitals_refuse_what_no_slip_can_say():
    with pytest.raises(ValueError):
        in_capitals(-1)
    with pytest.raises(ValueError):
        in_capitals(10**14)
