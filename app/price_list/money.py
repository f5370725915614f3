"""Money is integer fen (分). Here it is read from what people type and written as people read it.

No floats anywhere: yuan strings go through Decimal, and fen are split with divmod.
"""
import re
from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")  # within a group of four digits
GROUPS = ("亿", "万", "")  # groups of four, largest first
LARGEST_YUAN = 10**12 - 1  # 大写 up to 玖仟玖佰玖拾玖亿…

# "12", "12.5", "1,234.50", with or without ¥ / ￥ in front or 元 behind.
AMOUNT = re.compile(r"(?P<whole>\d+|\d{1,3}(?:,\d{3})+)(?:\.(?P<fraction>\d*))?")


class NotAnAmount(ValueError):
    """Carries the reason in Chinese, for the form or the import report."""


def parse_yuan(text):
    """Yuan as typed ("12.5", "¥1,234.50") → fen. :raise NotAnAmount: with the reason."""
    if isinstance(text, bool):
        raise NotAnAmount("不是有效金额")
    if isinstance(text, int | Decimal | float):
        text = _plain(text)
    cleaned = str(text).strip().lstrip("¥￥").removesuffix("元").strip()
    if cleaned.startswith("-"):
        raise NotAnAmount("金额不能为负数")
    match = AMOUNT.fullmatch(cleaned)
    if not match:
        raise NotAnAmount("不是有效金额")
    fraction = match["fraction"] or ""
    if len(fraction.rstrip("0")) > 2:
        raise NotAnAmount("金额最多两位小数(到分)")
    return int(match["whole"].replace(",", "")) * 100 + int((fraction + "00")[:2])


def _plain(number):
    """A spreadsheet's number as the decimal it shows: 12.5 → "12.5", never 12.4999…"""
    try:
        value = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    except InvalidOperation as error:
        raise NotAnAmount("不是有效金额") from error
    if not value.is_finite():
        raise NotAnAmount("不是有效金额")
    return format(value, "f")


def yuan_text(fen):
    """Fen as plain yuan with two decimals, for files and form fields: 123450 → "1234.50"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def format_fen(fen):
    """Fen as people read a price: 123450 → "¥1,234.50"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def in_capitals(fen):
    """大写金额 as banks and slips write it: 123450 → "壹仟贰佰叁拾肆元伍角整".

    Follows the rules for filling in notes and vouchers (正确填写票据和结算凭证的基本规定): one 零 for a
    run of zeros inside the number; 零 after 元 when 角 is zero but 分 is not; 整 when there are no 分;
    where the rules leave 零 optional (元 position zero, 角 not) it is left out.
    """
    if fen < 0:
        raise ValueError("大写金额不能为负数")
    yuan, cents = divmod(fen, 100)
    if yuan > LARGEST_YUAN:
        raise ValueError("金额过大")
    jiao, fen_digit = divmod(cents, 10)
    words = _yuan_words(yuan)
    if words:
        words += "元"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen_digit and words:
        words += "零"
    if fen_digit:
        return words + DIGITS[fen_digit] + "分"
    return (words or "零元") + "整"


def _yuan_words(yuan):
    groups = [(yuan // 10**8) % 10**4, (yuan // 10**4) % 10**4, yuan % 10**4]
    words, zero_pending = "", False
    for value, group_name in zip(groups, GROUPS, strict=True):
        if value == 0:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or value < 1000):
            words += "零"
        words += _group_words(value) + group_name
        zero_pending = False
    return words


def _group_words(value):
    """0 < value < 10000, without a leading 零: 1010 → 壹仟零壹拾, 1001 → 壹仟零壹."""
    words, zero_pending = "", False
    for digit, place in zip(f"{value:04d}", PLACES, strict=True):
        if digit == "0":
            zero_pending = bool(words)
            continue
        if zero_pending:
            words += "零"
        words += DIGITS[int(digit)] + place
        zero_pending = False
    return words
