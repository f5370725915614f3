"""Pricing paid service (001 四, 003 解答规范 4).

The technician picks items and quantities, never prices: each price comes from the price-list
version the quote is made with. Per material line the customer chooses company-supplied or their
own; their own costs nothing, and then the basic labour fee (基本人工费) applies, once.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.errors import ValidationFailed
from app.extensions import db
from app.paid_service.models import Quote, QuoteLine
from app.price_list.models import PUBLISHED, PriceItem

SUPPLIERS = ("company", "customer")
MATERIAL_CATEGORIES = ("equipment", "fitting", "material")
MAX_LINES = 50


@dataclass(frozen=True)
class Wanted:
    price_item_id: int
    quantity: str  # as typed: "2", "1.5"
    supplied_by: str = "company"


def quantity_centi(text):
    """ "1.5" → 150. :raise ValueError: for anything but a positive number with at most two decimals."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation as error:
        raise ValueError(text) from error
    if value <= 0 or value != value.quantize(Decimal("0.01")) or value > 10_000:
        raise ValueError(text)
    return int(value * 100)


def amount_fen(unit_price_fen, centi):
    """Price × quantity, rounded half-up to the fen in integers (no floats anywhere)."""
    return int((Decimal(unit_price_fen) * centi / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def price_lines(version, wanted):
    """The lines a customer reads, priced from `version`; raises ValidationFailed naming each bad line.

    The only door to a price: the quote on the phone mirrors it, and signing a slip goes through it.
    """
    if version.status != PUBLISHED:
        raise ValidationFailed("只能按已发布的价目表报价。", {"price_list_version_id": ["不是已发布的价目表"]})
    items = {item.id: item for item in version.items}
    problems, lines = {}, []
    for index, want in enumerate(wanted[:MAX_LINES]):
        try:
            lines.append(_line(items, want))
        except ValueError as error:
            problems[f"lines.{index}"] = [str(error)]
    if len(wanted) > MAX_LINES:
        problems["lines"] = [f"最多 {MAX_LINES} 项"]
    if not wanted:
        problems["lines"] = ["请至少选择一项"]
    if problems:
        raise ValidationFailed("报价有误。", problems)
    return _with_basic_labour_fee(version, lines)


def _line(items, want):
    item = items.get(want.price_item_id)
    if item is None:
        raise ValueError("价目表中没有该项目")
    if want.supplied_by not in SUPPLIERS:
        raise ValueError("请选择公司提供或客户自备")
    try:
        centi = quantity_centi(want.quantity)
    except ValueError:
        raise ValueError(f"数量不正确:{want.quantity}") from None
    own = want.supplied_by == "customer" and item.category in MATERIAL_CATEGORIES
    return _frozen(item, centi, "customer" if own else "company", 0 if own else None)


def _frozen(item: PriceItem, centi, supplied_by, amount=None, added=False):
    return QuoteLine(
        price_item_id=item.id, code=item.code, name=item.name, specification=item.specification or "",
        unit=item.unit, category=item.category, quantity_centi=centi, supplied_by=supplied_by,
        unit_price_fen=item.price_fen, amount_fen=amount_fen(item.price_fen, centi) if amount is None else amount,
        added_for_own_materials=added,
    )


def _with_basic_labour_fee(version, lines):
    own_materials = any(line.supplied_by == "customer" for line in lines)
    fee = version.basic_labour_fee
    has_fee = fee is not None and any(line.price_item_id == fee.id for line in lines)
    if own_materials and not has_fee:
        if fee is None:
            raise ValidationFailed("价目表没有基本人工费,无法为客户自备材料报价。", {"lines": ["缺少基本人工费"]})
        lines.append(_frozen(fee, 100, "company", added=True))
    return lines


def keep_quote(actor, order, version, lines):
    """Keep lines already priced by price_lines; a kept quote never changes (service_slips guards it)."""
    for position, line in enumerate(lines):
        line.position = position
    quote = Quote(work_order_id=order.id, price_list_version_id=version.id, created_by_id=actor.id,
                  total_fen=sum(line.amount_fen for line in lines), lines=lines)
    db.session.add(quote)
    db.session.flush()
    return quote
