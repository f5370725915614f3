"""Staff (人员): the people who sign in, kept by the admin — role, branch, areas, badge number (工号), phone.

A first password (and a reset) is made here, shown to the admin once, and must be replaced by the user at
their next sign-in. Deactivating a technician hands their open orders to colleagues in the same step, so no
order is left with someone who has gone; the last active admin cannot be deactivated or demoted. A change
of role takes effect on the user's next request: the session loads the user from the database each time."""
import secrets

from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.auth import services as auth
from app.auth.models import User
from app.branches.models import Area, Branch
from app.dispatch.services import REASSIGNABLE, dispatch
from app.errors import NotFound, RuleBroken
from app.extensions import db
from app.materials import services as stock
from app.work_orders.models import WorkOrder
from app.work_orders.vocabulary import LOAD_STATUSES

# Easy to read aloud and type on a phone: no 0/O, 1/l/I.
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
FIRST_PASSWORD_LENGTH = 10


def get(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("没有这个人员。")
    return user


def listing(role=None, branch_id=None, active=True):
    """The people, with their branch and areas loaded up front (a page of hundreds is three queries)."""
    statement = db.select(User).order_by(User.role, User.badge_number, User.username).options(
        selectinload(User.branch), selectinload(User.areas))
    if role:
        statement = statement.where(User.role == role)
    if branch_id:
        statement = statement.where(User.branch_id == branch_id)
    if active is not None:
        statement = statement.where(User.active.is_(active))
    return db.session.execute(statement).scalars().all()


def first_password():
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(FIRST_PASSWORD_LENGTH))


def create(actor, data):
    """A new user with a first password, returned once: (user, password). `data`: StaffIn as loaded.

    :raise RuleBroken: a username or badge taken, a technician without branch or areas."""
    placement = _placement(data) or {"branch": _branch(data["branch_id"]), "badge_number": data["badge_number"] or None}
    data = {**data, "username": data["username"] or (data["badge_number"] if data["role"] == "technician" else None)}
    if not data["username"]:
        raise RuleBroken("请填写用户名(维修师傅可不填,用工号登录)。", {"username": ["请填写用户名"]})
    _check_unique(data)
    password = first_password()
    user = auth.create_user(data["username"], password, data["name"], data["role"], phone=data["phone"] or None,
                            **placement)
    user.must_change_password = True
    db.session.flush()
    record(actor, "user", user.id, "create", username=user.username, role=user.role,
           branch_id=user.branch_id, area_ids=[a.id for a in user.areas])
    return user, password


def update(actor, user, data):
    """Name, phone, role, branch, areas and badge. :raise RuleBroken: the last admin demoted, a technician
    with open orders given another role or branch, a badge taken, a technician without branch or areas."""
    _check_unique(data, user)
    if user.role == "admin" and data["role"] != "admin":
        _keep_an_admin(user)
    moving = user.role == "technician" and (data["role"] != "technician" or data["branch_id"] != user.branch_id)
    if moving and open_orders(user):
        raise RuleBroken(f"{user.name}还有未完成的工单,请先改派再更改角色或分公司。", {"role": ["仍有未完成的工单"]})
    if moving and stock.van_holds_stock(user):
        raise RuleBroken(f"{user.name}的随车库存还有材料,请先退料再更改角色或分公司。", {"role": ["随车库存未清"]})
    placement = _placement(data)
    before = {"role": user.role, "branch_id": user.branch_id, "area_ids": [a.id for a in user.areas]}
    user.name, user.phone, user.role = data["name"], data["phone"] or None, data["role"]
    user.badge_number = placement.get("badge_number") or (data["badge_number"] or None)
    user.branch = placement.get("branch") or _branch(data["branch_id"])
    user.areas = placement.get("areas", [])
    db.session.flush()
    record(actor, "user", user.id, "update", before=before, role=user.role, branch_id=user.branch_id,
           area_ids=[a.id for a in user.areas])
    return user


def reset_password(actor, user):
    """A new first password, returned once; every session and token of the user ends."""
    password = first_password()
    auth.change_password(actor, user, password)
    user.must_change_password = True
    db.session.flush()
    return password


def open_orders(user):
    return db.session.execute(
        db.select(WorkOrder).where(WorkOrder.technician_id == user.id, WorkOrder.status.in_(LOAD_STATUSES))
        .order_by(WorkOrder.created_at)
    ).scalars().all()


def deactivate(actor, user, handover):
    """Sign the user out for good, handing each open order to a colleague first: `handover` maps an order
    id to the technician who takes it. :raise RuleBroken: the last admin; an order on site (finish or
    cancel it first); an open order not handed over."""
    if user.id == actor.id:
        raise RuleBroken("不能停用自己的账号。", {"active": ["不能停用自己"]})
    if user.role == "admin":
        _keep_an_admin(user)
    orders = open_orders(user)
    on_site = [o.number for o in orders if o.status not in REASSIGNABLE]
    if on_site:
        raise RuleBroken(f"{user.name}正在现场:{'、'.join(on_site)},请先完工或取消后再停用。", {"orders": on_site})
    missing = [o.number for o in orders if not handover.get(o.id)]
    if missing:
        raise RuleBroken(f"请为每张未完成的工单选择接手的师傅:{'、'.join(missing)}。", {"orders": missing})
    for order in orders:
        colleague = db.session.get(User, handover[order.id])
        if colleague is None or colleague.id == user.id:
            raise RuleBroken(f"{order.number} 须改派给另一位在岗的维修师傅。", {"orders": [order.number]})
        dispatch(order, actor, colleague)
    auth.deactivate(actor, user)
    return orders


def reactivate(actor, user):
    user.active = True
    db.session.flush()
    record(actor, "user", user.id, "reactivate")
    return user


def _keep_an_admin(user):
    others = db.session.execute(
        db.select(User.id).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    ).first()
    if others is None:
        raise RuleBroken("这是最后一位在用的管理员,不能停用或改为其他角色。", {"role": ["最后一位管理员"]})


def _check_unique(data, user=None):
    problems = {}
    for field, label in (("username", "用户名"), ("badge_number", "工号")):
        value = data.get(field)
        if not value or (user is not None and field == "username"):
            continue
        clash = db.session.execute(db.select(User).where(getattr(User, field) == value)).scalar_one_or_none()
        if clash is not None and clash is not user:
            problems[field] = [f"{label} {value} 已被{clash.name}使用"]
    if problems:
        raise RuleBroken("用户名或工号已被使用。", problems)


def _placement(data):
    """A technician's badge, branch and areas (the areas must be the branch's, all active); a storekeeper's
    branch (the store they keep); {} for others."""
    if data["role"] == "storekeeper":
        return _storekeeper_branch(data)
    if data["role"] != "technician":
        return {}
    problems = {}
    branch = _branch(data["branch_id"])
    areas = db.session.execute(db.select(Area).where(Area.id.in_(data["area_ids"]))).scalars().all()
    if not data["badge_number"]:
        problems["badge_number"] = ["维修师傅须有工号(印在服务单上)"]
    if branch is None or not branch.active:
        problems["branch_id"] = ["请选择在用的分公司"]
    if not areas or len(areas) != len(set(data["area_ids"])):
        problems["area_ids"] = ["至少选择一个片区:派单按片区找师傅"]
    elif branch is not None and any(a.branch_id != branch.id or not a.active for a in areas):
        problems["area_ids"] = [f"片区须是{branch.name}在用的片区"]
    if problems:
        raise RuleBroken("维修师傅的工号、分公司或片区有误。", problems)
    return {"badge_number": data["badge_number"], "branch": branch, "areas": sorted(areas, key=lambda a: a.name)}


def _storekeeper_branch(data):
    branch = _branch(data["branch_id"])
    if branch is None or not branch.active:
        raise RuleBroken("库管员须属于一个在用的分公司。", {"branch_id": ["请选择库管员所管库房的分公司"]})
    return {"branch": branch, "badge_number": data["badge_number"] or None}


def _branch(branch_id):
    return db.session.get(Branch, branch_id) if branch_id else None

