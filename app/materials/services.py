"""Stock movements (issue 11): receipts into a branch's store, issues to a technician's van and returns,
transfers between vans, consumption on a visit, write-offs and stock counts. Each is one row, never
edited; the on-hand figure of the places it touches changes in the same transaction by an atomic
`UPDATE … SET on_hand = on_hand ± q RETURNING on_hand`, so concurrent movements never lose one another
(the row lock of the UPDATE orders them; places are updated in id order so two never wait on each other).
"""
from datetime import date, timedelta

from sqlalchemy import func, select, update

from app.audit.services import record
from app.auth.models import User
from app.branches.models import Branch
from app.database import upsert_insert
from app.errors import Forbidden, NotFound, RuleBroken, ValidationFailed
from app.extensions import db
from app.localtime import local_today
from app.locks import for_update, share_row
from app.materials.models import (
    ADJUST,
    CONSUME,
    ISSUE,
    KINDS,
    RECEIPT,
    RETURN,
    REVERSE,
    STORE,
    TRANSFER,
    VAN,
    WRITE_OFF,
    Material,
    StockLevel,
    StockLocation,
    StockMovement,
    StockPeriod,
)

# kind → (source kind, target kind): where a movement of that kind may go from and to (None: nowhere)
ROUTES = {RECEIPT: (None, STORE), ISSUE: (STORE, VAN), RETURN: (VAN, STORE), TRANSFER: (VAN, VAN),
          CONSUME: (VAN, None), REVERSE: (None, VAN), WRITE_OFF: ((STORE, VAN), None),
          ADJUST: ((None, STORE, VAN), (None, STORE, VAN))}
MAX_QUANTITY_CENTI = 100_000_00  # 100,000 units: beyond any one movement of a heating company
KEEPERS = ("storekeeper", "admin")  # who moves stock at the desk: the branch's storekeeper, or an admin


def get_material(material_id, branch_id=None):
    """:raise NotFound: no such material in use. :raise RuleBroken: one that `branch_id` does not stock."""
    material = db.session.get(Material, material_id)
    if material is None or not material.active:
        raise NotFound("没有这种材料。", code="unknown_material")
    if branch_id is not None and material.branch_id not in (None, branch_id):
        raise RuleBroken(f"{material.name}不是本分公司的材料。", {"material_id": ["不是本分公司的材料"]},
                         code="other_branch")
    return material


def may_keep(actor, branch_id):
    """:raise Forbidden: anyone but an admin or that branch's storekeeper."""
    if actor.role == "admin" or (actor.role == "storekeeper" and actor.branch_id == branch_id):
        return
    raise Forbidden("只有本分公司的库管员(或管理员)可以办理库存。")


def get_location(location_id):
    location = db.session.get(StockLocation, location_id)
    if location is None:
        raise NotFound("没有这个库位。")
    return location


def store_of(branch):
    """The branch's store, made on first use."""
    found = db.session.execute(db.select(StockLocation).filter_by(kind=STORE, branch_id=branch.id)
                               ).scalar_one_or_none()
    if found is None:
        found = StockLocation(kind=STORE, branch_id=branch.id)
        db.session.add(found)
        db.session.flush()
    return found


def van_of(technician):
    """The technician's van stock, made on first use, in the technician's branch."""
    found = db.session.execute(db.select(StockLocation).filter_by(technician_id=technician.id)).scalar_one_or_none()
    if found is None:
        found = StockLocation(kind=VAN, branch_id=technician.branch_id, technician_id=technician.id)
        db.session.add(found)
        db.session.flush()
    return found


def van_holds_stock(technician):
    """Whether the technician's van has anything on its books (a van stays in the branch it was made in)."""
    return db.session.execute(
        select(StockLevel.material_id).join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLocation.technician_id == technician.id, StockLevel.on_hand_centi != 0).limit(1)
    ).first() is not None


def check_quantity(material, quantity_centi):
    """:raise ValidationFailed: not positive, too large, or a fraction of a unit that has none (1.5 个)."""
    if not 0 < quantity_centi <= MAX_QUANTITY_CENTI:
        raise ValidationFailed("数量须大于 0。", {"quantity": ["数量须大于 0"]})
    if material.whole_units and quantity_centi % 100:
        raise RuleBroken(f"{material.name}按{material.unit}计,数量须为整数。",
                               {"quantity": [f"须为整{material.unit}"]})


def move(actor, kind, material, quantity_centi, source=None, target=None, work_order=None, reason=None,
         allow_below_zero=False, booked_on=None, visit=None, slip=None, charged=False):
    """One movement, and the on-hand figures it changes. A consumption from a phone (`allow_below_zero`)
    that takes the van below zero is kept and flagged: the part was used, the books are behind.

    :raise ValidationFailed: a quantity the unit does not allow, a write-off without a reason.
    :raise RuleBroken: a place of the wrong kind or branch, or more than the source holds."""
    check_quantity(material, quantity_centi)
    branch_id = _check_route(kind, material, source, target)
    booked_on = booked_on or local_today()
    check_open(branch_id, booked_on)
    if kind == WRITE_OFF and not (reason or "").strip():
        raise ValidationFailed("报损须说明原因。", {"reason": ["请填写报损原因"]})
    below_zero = False
    for location, sign in sorted(((source, -1), (target, +1)), key=lambda pair: pair[0].id if pair[0] else 0):
        if location is None:
            continue
        on_hand = _change(location, material, sign * quantity_centi)
        if on_hand < 0:
            if not allow_below_zero:
                held = units_text(on_hand + quantity_centi)
                raise RuleBroken(f"库存不足:{_name(location)}的{material.name}只有 {held}{material.unit}。",
                                 {"quantity": ["库存不足"]}, code="not_enough_stock")
            below_zero = True
    movement = StockMovement(kind=kind, material_id=material.id, source_id=source.id if source else None,
                             target_id=target.id if target else None, quantity_centi=quantity_centi,
                             unit_cost_fen=material.cost_fen, work_order_id=work_order.id if work_order else None,
                             below_zero=below_zero, reason=(reason or "").strip() or None,
                             actor_id=actor.id, booked_on=booked_on, branch_id=branch_id,
                             visit_id=visit.id if visit else None, slip_id=slip.id if slip else None, charged=charged)
    db.session.add(movement)
    db.session.flush()
    record(actor, "stock_movement", movement.id, kind, material_id=material.id, quantity_centi=quantity_centi,
           source_id=movement.source_id, target_id=movement.target_id)
    return movement


def count(actor, location, material, counted_centi, booked_on=None):
    """A stock count (盘点): the difference to the books becomes one adjustment; None when they agree."""
    if counted_centi < 0 or (material.whole_units and counted_centi % 100):
        raise ValidationFailed("盘点数量不正确。", {"counted": ["须为不小于 0 的数量"]})
    books = on_hand(location, material)
    difference = counted_centi - books
    if difference == 0:
        return None
    return move(actor, ADJUST, material, abs(difference), source=location if difference < 0 else None,
                target=location if difference > 0 else None, allow_below_zero=True, booked_on=booked_on,
                reason=f"盘点:账面 {units_text(books)},实盘 {units_text(counted_centi)}")


def on_hand(location, material):
    level = db.session.get(StockLevel, (location.id, material.id))
    return level.on_hand_centi if level else 0


def ledger_sum(location, material):
    """The on-hand figure as the movements say it (what the level must always equal)."""
    into = db.session.execute(select(func.coalesce(func.sum(StockMovement.quantity_centi), 0)).where(
        StockMovement.target_id == location.id, StockMovement.material_id == material.id)).scalar_one()
    out = db.session.execute(select(func.coalesce(func.sum(StockMovement.quantity_centi), 0)).where(
        StockMovement.source_id == location.id, StockMovement.material_id == material.id)).scalar_one()
    return into - out


def _change(location, material, delta):
    insert = upsert_insert(db.session.get_bind().dialect.name)
    db.session.execute(insert(StockLevel).values(location_id=location.id, material_id=material.id, on_hand_centi=0)
                       .on_conflict_do_nothing())
    return db.session.execute(
        update(StockLevel).where(StockLevel.location_id == location.id, StockLevel.material_id == material.id)
        .values(on_hand_centi=StockLevel.on_hand_centi + delta).returning(StockLevel.on_hand_centi)
    ).scalar_one()


def _check_route(kind, material, source, target):
    if kind not in ROUTES:
        raise ValidationFailed("没有这种库存变动。", {"kind": [f"须为 {'、'.join(KINDS.values())} 之一"]})
    wanted_source, wanted_target = ROUTES[kind]
    for location, wanted, label in ((source, wanted_source, "出库"), (target, wanted_target, "入库")):
        allowed = wanted if isinstance(wanted, tuple) else (wanted,)
        if (location.kind if location else None) not in allowed:
            raise RuleBroken(f"{KINDS[kind]}的{label}地点不对。", {"location": [f"{label}地点不对"]})
    if source is not None and target is not None and source.branch_id != target.branch_id:
        raise RuleBroken("只能在同一分公司内移动库存。", {"location": ["不是同一分公司"]})
    if source is not None and target is not None and source.id == target.id:
        raise RuleBroken("出库和入库地点不能相同。", {"location": ["地点相同"]})
    branch_id = (source or target).branch_id
    if material.branch_id not in (None, branch_id):
        raise RuleBroken(f"{material.name}不是本分公司的材料。", {"material_id": ["不是本分公司的材料"]},
                         code="other_branch")
    return branch_id


def closed_through(branch_id):
    """The last day of the branch's closed books; held (locks.py, 7) so a close waits for this movement."""
    period = share_row(StockPeriod, branch_id)
    return period.closed_through if period else None


def check_open(branch_id, day):
    """:raise RuleBroken: a day in a month whose books the branch has closed."""
    closed = closed_through(branch_id)
    if closed is not None and day <= closed:
        raise RuleBroken(f"{closed:%Y年%-m月}及以前的库存账已结,不能再记入。", {"booked_on": ["该月已结账"]},
                         code="period_closed")


def first_open_day(branch_id, day):
    """`day`, or the day after the books' close when `day` falls in a closed month (a phone's late record)."""
    closed = closed_through(branch_id)
    return max(day, closed + timedelta(days=1)) if closed is not None else day


def close_month(actor, branch, month):
    """Close the branch's books through the end of `month` (a date in it): a month that is over, once.

    :raise Forbidden: not the back office or an admin. :raise RuleBroken: a month not over, or closed."""
    if actor.role not in ("back_office", "admin"):
        raise Forbidden("只有客服部或管理员可以结账。")
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if end >= local_today():
        raise RuleBroken("只能结已经过去的月份。", {"month": ["该月尚未结束"]})
    period = db.session.execute(for_update(select(StockPeriod).where(StockPeriod.branch_id == branch.id))
                                ).scalar_one_or_none()
    if period is not None and period.closed_through >= end:
        raise RuleBroken(f"{end:%Y年%-m月}已结账。", {"month": ["已结账"]}, code="period_closed")
    if period is None:
        period = StockPeriod(branch_id=branch.id, closed_through=end, closed_by_id=actor.id)
        db.session.add(period)
    else:
        period.closed_through, period.closed_by_id = end, actor.id
    db.session.flush()
    record(actor, "stock_period", branch.id, "close", closed_through=end.isoformat())
    return period


def month_of(day: date):
    return day.replace(day=1)


def _name(location):
    return f"{location.technician.name}的随车库存" if location.kind == VAN else f"{location.branch.name}库房"


def units_text(centi):
    """Hundredths as people write a quantity: 150 → "1.5", -200 → "-2"."""
    whole, part = divmod(abs(centi), 100)
    text = f"{whole}.{part:02d}".rstrip("0") if part else str(whole)
    return f"-{text}" if centi < 0 else text


# ---- the desk: a movement or a count as the storekeeper enters it ----

def desk_move(actor, data):
    """A receipt, issue, return, transfer or write-off (MovementIn as loaded) in one branch.

    :raise NotFound: no such branch or material. :raise Forbidden: not that branch's storekeeper (or an
    admin). :raise RuleBroken: a van that is not the branch's, a day in a closed month or to come, too
    little in stock, a write-off without a reason."""
    branch = _branch(data["branch_id"])
    may_keep(actor, branch.id)
    material = get_material(data["material_id"], branch.id)
    source, target = _places(data, branch)
    return move(actor, data["kind"], material, data["quantity_centi"], source=source, target=target,
                reason=data["reason"], booked_on=_desk_day(data["booked_on"]))


def _places(data, branch):
    """(source, target) of a desk movement: the store, and the vans of the technicians it names."""
    kind, store = data["kind"], store_of(branch)
    van = _van(data["technician_id"], branch, "technician_id") if data["technician_id"] else None
    if kind == RECEIPT:
        return None, store
    if kind == WRITE_OFF:
        return van or store, None
    doing = KINDS[kind]
    _needed(van, "technician_id", doing)
    if kind == ISSUE:
        return store, van
    if kind == RETURN:
        return van, store
    if not data["to_technician_id"]:
        _needed(None, "to_technician_id", doing)
    return van, _van(data["to_technician_id"], branch, "to_technician_id")  # TRANSFER


def desk_count(actor, data):
    """A stock count (CountIn as loaded): the difference to the books as one adjustment, or None."""
    branch = _branch(data["branch_id"])
    may_keep(actor, branch.id)
    material = get_material(data["material_id"], branch.id)
    place = _van(data["technician_id"], branch, "technician_id") if data["technician_id"] else store_of(branch)
    counted = data["counted_centi"]
    if material.whole_units and counted % 100:
        raise RuleBroken(f"{material.name}按{material.unit}计,数量须为整数。", {"counted": [f"须为整{material.unit}"]})
    return count(actor, place, material, counted, booked_on=_desk_day(data["booked_on"]))


def _branch(branch_id):
    branch = db.session.get(Branch, branch_id)
    if branch is None:
        raise NotFound("没有这个分公司。")
    return branch


def _van(technician_id, branch, name):
    technician = db.session.get(User, technician_id)
    if technician is None or technician.role != "technician" or technician.branch_id != branch.id:
        raise RuleBroken(f"不是{branch.name}的维修师傅。", {name: ["不是本分公司的维修师傅"]})
    return van_of(technician)


def _needed(van, name, doing):
    if van is None:
        raise RuleBroken(f"{doing}须选择维修师傅。", {name: ["请选择维修师傅"]})
    return van


def _desk_day(day):
    today = local_today()
    if day is not None and day > today:
        raise RuleBroken("不能记入将来的日期。", {"booked_on": ["日期不能晚于今天"]})
    return day or today
