"""Stock movements (issue 11): receipts into a branch's store, issues to a technician's van and returns,
transfers between vans, consumption on a visit, write-offs and stock counts. Each is one row, never
edited; the on-hand figure of the places it touches changes in the same transaction by an atomic
`UPDATE … SET on_hand = on_hand ± q RETURNING on_hand`, so concurrent movements never lose one another
(the row lock of the UPDATE orders them; places are updated in id order so two never wait on each other).
"""
from sqlalchemy import func, select, update

from app.audit.services import record
from app.auth.access import DESK
from app.database import upsert_insert
from app.errors import Forbidden, NotFound, RuleBroken, ValidationFailed
from app.extensions import db
from app.localtime import local_today
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
)
from app.materials.periods import check_open

# kind → (source kind, target kind): where a movement of that kind may go from and to (None: nowhere)
ROUTES = {RECEIPT: (None, STORE), ISSUE: (STORE, VAN), RETURN: (VAN, STORE), TRANSFER: (VAN, VAN),
          CONSUME: (VAN, None), REVERSE: (None, VAN), WRITE_OFF: ((STORE, VAN), None),
          ADJUST: ((None, STORE, VAN), (None, STORE, VAN))}
MAX_QUANTITY_CENTI = 100_000_00  # 100,000 units: beyond any one movement of a heating company
KEEPERS = ("storekeeper", "admin")  # who moves stock at the desk: the branch's storekeeper, or an admin
READERS = (*DESK, "storekeeper")  # who reads the stock pages and their API


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


def _name(location):
    return f"{location.technician.name}的随车库存" if location.kind == VAN else f"{location.branch.name}库房"


def units_text(centi):
    """Hundredths as people write a quantity: 150 → "1.5", -200 → "-2"."""
    whole, part = divmod(abs(centi), 100)
    text = f"{whole}.{part:02d}".rstrip("0") if part else str(whole)
    return f"-{text}" if centi < 0 else text
