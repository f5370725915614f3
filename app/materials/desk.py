"""The storekeeper's desk: a receipt, issue, return, transfer, write-off or count as the form (or the API)
states it — which branch, which technician's van — turned into the movement of app/materials/services."""
from app.auth.models import User
from app.branches.models import Branch
from app.errors import NotFound, RuleBroken
from app.extensions import db
from app.localtime import local_today
from app.materials.models import ISSUE, KINDS, RECEIPT, RETURN, WRITE_OFF
from app.materials.services import count, get_material, may_keep, move, store_of, van_of


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
