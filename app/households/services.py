"""Households (热用户): found by 户号, phone or address while the customer is on the line."""
import re

from sqlalchemy import func, or_

from app.audit.services import record
from app.branches.models import Estate
from app.errors import NotFound, RuleBroken
from app.extensions import db
from app.households.models import Household

TOKEN = re.compile(r"\d+|[^\d\s\-/#号楼栋单元室]+")
SEARCH_LIMIT = 10


def get(household_id):
    household = db.session.get(Household, household_id)
    if household is None:
        raise NotFound("找不到该热用户。")
    return household


def search(query, limit=SEARCH_LIMIT):
    """Every token must match: digits against 户号/phone/building/unit/room, words against estate or name."""
    tokens = TOKEN.findall(query or "")[:6]
    if not tokens:
        return []
    statement = db.select(Household).join(Household.estate)
    for token in tokens:
        statement = statement.where(_token_filter(token))
    statement = statement.order_by(Household.account_number).limit(limit)
    return db.session.execute(statement).scalars().all()


def _token_filter(token):
    if token.isdigit():
        return or_(
            Household.account_number.startswith(token, autoescape=True),
            Household.phone.contains(token, autoescape=True),
            Household.building == token,
            Household.unit == token,
            Household.room == token,
        )
    return or_(Estate.name.contains(token, autoescape=True), Household.name.contains(token, autoescape=True))


def create(actor, data):
    estate = db.session.get(Estate, data.get("estate_id") or 0)
    fields = {}
    if estate is None:
        fields["estate_id"] = ["请选择小区"]
    if db.session.execute(
        db.select(Household.id).filter_by(account_number=data["account_number"])
    ).first():
        fields["account_number"] = ["该户号已存在"]
    if fields:
        raise RuleBroken("热用户信息有误。", fields)
    household = Household(
        account_number=data["account_number"],
        name=data["name"],
        phone=data["phone"],
        estate=estate,
        building=data["building"],
        unit=data["unit"],
        room=data["room"],
    )
    db.session.add(household)
    db.session.flush()
    record(actor, "household", household.id, "create", account_number=household.account_number)
    return household


CONTACT_FIELDS = ("name", "phone")
RECORD_FIELDS = ("name", "phone", "estate_id", "building", "unit", "room", "note")
FIELD_LABELS = {"name": "姓名", "phone": "电话", "estate_id": "小区", "building": "楼号", "unit": "单元", "room": "室",
                "note": "备注", "floor_area_centi": "面积"}
PER_PAGE = 50


def update(actor, household, data, fields=RECORD_FIELDS):
    """Change the record (`fields` only: a dispatcher corrects the contact details during a call, an admin
    the rest); what changed, from what to what, is kept in the audit trail and shown as its history.

    :raise RuleBroken: an unknown or inactive estate."""
    if "estate_id" in fields and data.get("estate_id") != household.estate_id:
        estate = db.session.get(Estate, data.get("estate_id") or 0)
        if estate is None or not estate.active:
            raise RuleBroken("请选择在用的小区。", {"estate_id": ["不是在用的小区"]})
    changed = {}
    for field in fields:
        if field in data and data[field] != getattr(household, field):
            before = household.estate.name if field == "estate_id" else getattr(household, field)
            setattr(household, field, data[field])
            if field == "estate_id":
                household.estate = db.session.get(Estate, data[field])
            changed[field] = [before, household.estate.name if field == "estate_id" else data[field]]
    if changed:
        db.session.flush()
        record(actor, "household", household.id, "update", changes=changed)
    return changed


def page(query="", estate_id=None, number=1):
    """A page of the household list: every token of `query` matching as in search, by 户号."""
    statement = db.select(Household).join(Household.estate)
    for token in TOKEN.findall(query or "")[:6]:
        statement = statement.where(_token_filter(token))
    if estate_id:
        statement = statement.where(Household.estate_id == estate_id)
    total = db.session.execute(db.select(func.count()).select_from(statement.subquery())).scalar_one()
    items = db.session.execute(
        statement.order_by(Household.account_number).limit(PER_PAGE).offset((number - 1) * PER_PAGE)
    ).scalars().all()
    return {"items": items, "total": total, "page": number, "pages": max(1, -(-total // PER_PAGE))}


def everyone(chunk=1000):
    """Every household by 户号, a thousand at a time with its estate and area (for the export): each chunk a
    query of its own after the last 户号, so a download streamed after the request holds no cursor open."""
    from sqlalchemy.orm import joinedload

    after = ""
    while True:
        found = db.session.execute(
            db.select(Household).options(joinedload(Household.estate).joinedload(Estate.area))
            .where(Household.account_number > after).order_by(Household.account_number).limit(chunk)
        ).scalars().all()
        yield from found
        if len(found) < chunk:
            return
        after = found[-1].account_number


ACCOUNT_NUMBER = re.compile(r"^[0-9A-Za-z\-]{3,32}$")


def upsert(actor, account_number, data):
    """(household, created): the household with this 户号 made to be as `data` says.

    :raise ValidationFailed: a 户号 that is not one. :raise RuleBroken: an unknown or inactive estate."""
    from app.errors import ValidationFailed

    if not ACCOUNT_NUMBER.match(account_number):
        raise ValidationFailed("户号为 3–32 位字母或数字。", {"account_number": ["户号格式不正确"]})
    household = db.session.execute(db.select(Household).filter_by(account_number=account_number)).scalar_one_or_none()
    if household is not None:
        update(actor, household, data, (*RECORD_FIELDS, "floor_area_centi"))
        return household, False
    estate = db.session.get(Estate, data["estate_id"])
    if estate is None or not estate.active:
        raise RuleBroken("请选择在用的小区。", {"estate_id": ["不是在用的小区"]})
    household = Household(account_number=account_number, estate=estate,
                          **{f: data[f] for f in RECORD_FIELDS if f != "estate_id"},
                          floor_area_centi=data.get("floor_area_centi"))
    db.session.add(household)
    db.session.flush()
    record(actor, "household", household.id, "create", account_number=account_number, source="api")
    return household, True
