"""Households (热用户): found by 户号, phone or address while the customer is on the line."""
import re

from sqlalchemy import or_

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
