"""What a visit uses (issue 11): materials the technician records in 一修 (borne by the company, shown on
the slip as 公司承担), and a signed slip's company-supplied charged lines, consumed from the technician's
van when the slip is kept (no typing twice) and put back if it is voided. A phone's record is never
refused for the van's figure: recorded offline, it is kept and flagged when the books are behind.
"""
from app.errors import Conflict
from app.extensions import db
from app.localtime import local_day, local_today
from app.materials import periods
from app.materials import services as stock
from app.materials.models import CONSUME, REVERSE, StockMovement
from app.paid_service.services import MATERIAL_CATEGORIES
from app.price_list.models import PriceItem
from app.visits.services import signed_slip_of, visit_in_progress
from app.work_orders.services import occurred_at


def record_used(order, actor, material_id, quantity_centi, device_time=None):
    """One material used on the visit at no charge to the customer (a phone's `material` command).

    :raise NotFound: unknown material. :raise RuleBroken: another branch's material; a quantity the unit
    does not allow. :raise Conflict: the visit's slip is already signed (void it and sign again)."""
    visit = visit_in_progress(order, actor)
    material = stock.get_material(material_id, order.branch_id)
    if signed_slip_of(visit) is not None:
        raise Conflict("服务单已签名,不能再补记材料;如需补记,请先作废服务单,补记后重新签名。", code="slip_frozen")
    at = occurred_at(order, device_time)
    movement = stock.move(actor, CONSUME, material, quantity_centi, source=stock.van_of(actor), work_order=order,
                          visit=visit, allow_below_zero=True,
                          booked_on=periods.first_open_day(order.branch_id, local_day(at)))
    db.session.expire(visit, ["materials"])  # a view of the movements (viewonly): read again when next asked
    return movement


def consume_charged(actor, order, slip, lines):
    """The slip's company-supplied lines whose price item names a material, taken from the signer's van."""
    for _line, item, centi in _material_lines(lines):
        stock.move(actor, CONSUME, item.material, centi, source=stock.van_of(actor), work_order=order,
                   visit=slip.visit, slip=slip, charged=True, allow_below_zero=True,
                   booked_on=periods.first_open_day(order.branch_id, local_day(slip.signed_at)))


def reverse_charged(actor, slip):
    """A voided slip's charged consumption goes back to the van it came from (its replacement takes it again)."""
    taken = db.session.execute(db.select(StockMovement).filter_by(slip_id=slip.id, kind=CONSUME)
                               .order_by(StockMovement.id)).scalars().all()
    for movement in taken:
        stock.move(actor, REVERSE, movement.material, movement.quantity_centi, target=movement.source,
                   work_order=slip.work_order, visit=slip.visit, slip=slip, charged=True,
                   reason=f"作废服务单 {slip.serial}", booked_on=periods.first_open_day(slip.branch_id, local_today()))


def material_quantity(line, item):
    """How much of the item's material a line takes: the line's quantity × the item's material per unit,
    rounded up to a whole unit where the material has no fractions."""
    centi = -(-line.quantity_centi * item.material_centi // 100)
    if item.material.whole_units and centi % 100:
        centi += 100 - centi % 100
    return centi


def _material_lines(lines):
    ids = {line.price_item_id for line in lines}
    items = {item.id: item for item in db.session.execute(
        db.select(PriceItem).where(PriceItem.id.in_(ids), PriceItem.material_id.is_not(None))).scalars()}
    for line in lines:
        item = items.get(line.price_item_id)
        if item is not None and line.supplied_by == "company" and line.category in MATERIAL_CATEGORIES:
            yield line, item, material_quantity(line, item)
