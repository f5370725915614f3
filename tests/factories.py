"""Test data, made through the same services the app uses wherever a service exists."""
from datetime import timedelta
from itertools import count

from app.auth.models import User
from app.auth.services import hash_password
from app.branches.models import Area, Branch, Estate
from app.clocks.services import ensure_default_policies
from app.dispatch.services import dispatch
from app.extensions import db
from app.households.models import Household
from app.work_orders.services import open_work_order, perform

PASSWORD = "correct-horse-1"
_PASSWORD_HASH = None  # Argon2 is slow on purpose; hash once per run
_seq = count(1)


def password_hash():
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


def branch(code=None, name=None):
    n = next(_seq)
    obj = Branch(code=code or f"B{n}", name=name or f"第{n}分公司", phone=f"022-8000{n:04d}")
    db.session.add(obj)
    db.session.flush()
    return obj


def area(branch_=None, name=None):
    n = next(_seq)
    obj = Area(branch=branch_ or branch(), name=name or f"片区{n}")
    db.session.add(obj)
    db.session.flush()
    return obj


def estate(area_=None, name=None):
    n = next(_seq)
    obj = Estate(area=area_ or area(), name=name or f"幸福里{n}")
    db.session.add(obj)
    db.session.flush()
    return obj


def user(role, branch_=None, areas=(), name=None, **extra):
    n = next(_seq)
    obj = User(
        username=extra.pop("username", f"{role}{n}"),
        password_hash=password_hash(),
        name=name or f"{role}{n}",
        role=role,
        branch=branch_,
        **extra,
    )
    if role == "technician":
        obj.badge_number = obj.badge_number or f"T{n:04d}"
        obj.phone = obj.phone or f"139{n:08d}"
    obj.areas = list(areas)
    db.session.add(obj)
    db.session.flush()
    return obj


def technician(area_, **extra):
    return user("technician", branch_=area_.branch, areas=[area_], **extra)


def household(estate_=None, **fields):
    n = next(_seq)
    obj = Household(
        account_number=fields.pop("account_number", f"10{n:08d}"),
        name=fields.pop("name", f"住户{n}"),
        phone=fields.pop("phone", f"138{n:08d}"),
        estate=estate_ or estate(),
        building=fields.pop("building", "3"),
        unit=fields.pop("unit", "2"),
        room=fields.pop("room", "501"),
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def work_order(household_=None, category="repair", actor=None, technician_=None, channel="hotline",
               description="暖气不热,室温 16 度"):
    ensure_default_policies()
    household_ = household_ or household()
    actor = actor or user("dispatcher")
    order = open_work_order(actor, household_, channel, category, description)
    if technician_ is not None:
        dispatch(order, actor, technician_)
    return order


def advance(order, technician_, *actions):
    for action in actions:
        perform(order, action, technician_)
    return order


def age(order, minutes):
    """Pretend the order was opened `minutes` ago: shift its clock and stamps back together."""
    from app.work_orders.services import refresh_next_due

    delta = timedelta(minutes=minutes)
    for field in ("created_at", "contact_due_at", "on_site_due_at", "fixed_due_at", "dispatched_at",
                  "accepted_at", "contacted_at", "departed_at", "arrived_at", "done_at"):
        if getattr(order, field) is not None:
            setattr(order, field, getattr(order, field) - delta)
    refresh_next_due(order)
    db.session.flush()
    return order
