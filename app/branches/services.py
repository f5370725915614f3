"""The company's map: branches (分公司), their areas (片区), the estates (小区) each covers, and which
technicians serve each area. Only admins change it; every change is in the audit trail. Nothing is
deleted — orders, households and slips point to it — it is deactivated and takes nothing new.

An order keeps the branch and area it was opened with: moving an estate to another area routes the
estate's new orders by the new area and leaves its open ones where they are."""
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.auth.models import User
from app.branches.models import Area, Branch, Estate
from app.errors import NotFound, RuleBroken
from app.extensions import db

ENTITIES = {Branch: "branch", Area: "area", Estate: "estate"}
LABELS = {Branch: "分公司", Area: "片区", Estate: "小区"}


def filter_options():
    return {
        "branches": db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all(),
        "areas": db.session.execute(db.select(Area).order_by(Area.name)).scalars().all(),
        "technicians": db.session.execute(
            db.select(User).filter_by(role="technician").order_by(User.badge_number)
        ).scalars().all(),
    }


def branches():
    """Every branch with its areas, their estates and technicians loaded in four queries, whatever their number."""
    return db.session.execute(db.select(Branch).order_by(Branch.active.desc(), Branch.code).options(
        selectinload(Branch.areas).selectinload(Area.estates),
        selectinload(Branch.areas).selectinload(Area.technicians))).scalars().all()


def get(model, row_id):
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound(f"没有这个{LABELS[model]}。")
    return row


def _unique(model, field, value, row=None, label="名称"):
    clash = db.session.execute(db.select(model).where(getattr(model, field) == value)).scalar_one_or_none()
    if clash is not None and clash is not row:
        raise RuleBroken(f"{label}“{value}”已被使用。", {field: [f"{label}已被使用"]})


def save_branch(actor, data, branch=None):
    """A new branch, or one renamed (name, code, phone). :raise RuleBroken: a name or code taken, or a new
    code for a branch that has signed slips (their serials and the register run by code: CD-2026-000001)."""
    _unique(Branch, "name", data["name"], branch)
    _unique(Branch, "code", data["code"], branch, "代码")
    if branch is not None and data["code"] != branch.code and _has_slips(branch):
        raise RuleBroken("该分公司已开出服务单,单号和对账都按代码编排,代码不能再改。",
                         {"code": ["已有服务单,不能改代码"]})
    created = branch is None
    branch = branch or Branch()
    before = {"name": branch.name, "code": branch.code, "phone": branch.phone}
    branch.name, branch.code, branch.phone = data["name"], data["code"], data["phone"]
    db.session.add(branch)
    db.session.flush()
    record(actor, "branch", branch.id, "create" if created else "update", before=None if created else before,
           name=branch.name, code=branch.code, phone=branch.phone)
    return branch


def _has_slips(branch):
    from app.service_slips.models import Slip

    return db.session.execute(db.select(Slip.id).filter_by(branch_id=branch.id).limit(1)).first() is not None


def save_area(actor, branch, name, area=None):
    """A new area of `branch`, or one renamed. :raise RuleBroken: the name taken, or the branch inactive."""
    _unique(Area, "name", name, area)
    if area is None and not branch.active:
        raise RuleBroken(f"{branch.name}已停用,不能新建片区。", {"branch_id": ["分公司已停用"]})
    created = area is None
    area = area or Area(branch=branch)
    before = area.name
    area.name = name
    db.session.add(area)
    db.session.flush()
    record(actor, "area", area.id, "create" if created else "rename", branch_id=area.branch_id, name=name,
           before=None if created else before)
    return area


def save_estate(actor, area, name, estate=None):
    """A new estate of `area`, or one renamed. :raise RuleBroken: the name taken, or the area inactive."""
    _unique(Estate, "name", name, estate)
    if estate is None and not area.active:
        raise RuleBroken(f"{area.name}已停用,不能新建小区。", {"area_id": ["片区已停用"]})
    created = estate is None
    estate = estate or Estate(area=area)
    before = estate.name
    estate.name = name
    db.session.add(estate)
    db.session.flush()
    record(actor, "estate", estate.id, "create" if created else "rename", area_id=estate.area_id, name=name,
           before=None if created else before)
    return estate


def move_estate(actor, estate, area):
    """The estate's new orders route by `area` (and its branch); orders already open keep theirs.

    :raise RuleBroken: the area is inactive."""
    if not area.active:
        raise RuleBroken(f"{area.name}已停用。", {"area_id": ["片区已停用"]})
    before = estate.area
    estate.area = area
    db.session.flush()
    record(actor, "estate", estate.id, "move", from_area_id=before.id, to_area_id=area.id,
           from_branch_id=before.branch_id, to_branch_id=area.branch_id)
    return estate


def set_active(actor, row, active):
    """Deactivate or reactivate a branch, area or estate. A branch with active areas, or an area with active
    estates, is deactivated after them (:raise RuleBroken), so no estate is left routing to nowhere."""
    children = {Branch: ("areas", "片区"), Area: ("estates", "小区")}.get(type(row))
    if not active and children and any(child.active for child in getattr(row, children[0])):
        raise RuleBroken(f"“{row.name}”下还有在用的{children[1]},请先停用或移走它们。", {"active": ["仍有在用的下级"]})
    if active and isinstance(row, Area) and not row.branch.active:
        raise RuleBroken(f"{row.branch.name}已停用。", {"active": ["分公司已停用"]})
    if active and isinstance(row, Estate) and not row.area.active:
        raise RuleBroken(f"{row.area.name}已停用。", {"active": ["片区已停用"]})
    row.active = active
    db.session.flush()
    record(actor, ENTITIES[type(row)], row.id, "activate" if active else "deactivate")
    return row


def set_area_technicians(actor, area, technician_ids):
    """Which technicians serve the area: routing proposes them first. They must be the branch's active
    technicians. :raise RuleBroken: naming anyone who is not."""
    wanted = db.session.execute(db.select(User).where(User.id.in_(technician_ids))).scalars().all()
    wrong = [u.name for u in wanted if u.role != "technician" or u.branch_id != area.branch_id or not u.active]
    if len(wanted) != len(set(technician_ids)) or wrong:
        raise RuleBroken(f"只能指派{area.branch.name}在岗的维修师傅:{'、'.join(wrong) or '有人不存在'}。",
                         {"technician_ids": ["不是本分公司在岗的维修师傅"]})
    area.technicians = sorted(wanted, key=lambda u: u.badge_number or "")
    db.session.flush()
    record(actor, "area", area.id, "technicians", technician_ids=[u.id for u in area.technicians])
    return area
