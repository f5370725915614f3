from marshmallow import Schema, fields, validate

from app.schemas import Id, Moment, length, line
from app.work_orders.schemas import HouseholdBriefOut, NamedOut
from app.work_orders.vocabulary import CATEGORIES, STATUSES

PHONE = validate.Regexp(r"^[0-9+\- ]{5,20}$", error="电话号码格式不正确")
SHORT = line(16)


class HouseholdIn(Schema):
    account_number = fields.Str(required=True, validate=validate.Regexp(r"^[0-9A-Za-z\-]{3,32}$",
                                                                        error="户号为 3–32 位字母或数字"))
    name = fields.Str(required=True, validate=line(64))
    phone = fields.Str(required=True, validate=PHONE)
    estate_id = Id(required=True)
    building = fields.Str(required=True, validate=SHORT)
    unit = fields.Str(required=True, validate=SHORT)
    room = fields.Str(required=True, validate=SHORT)


class ContactIn(Schema):
    """What a dispatcher may correct during a call."""

    name = fields.Str(required=True, validate=line(64))
    phone = fields.Str(required=True, validate=PHONE)


class RecordIn(ContactIn):
    """The whole record but its 户号 (which the billing system keys it by), for an admin."""

    estate_id = Id(required=True)
    building = fields.Str(required=True, validate=SHORT)
    unit = fields.Str(required=True, validate=SHORT)
    room = fields.Str(required=True, validate=SHORT)
    note = fields.Str(load_default="", validate=line(200, min_length=0))


class UpsertIn(RecordIn):
    """A household as a billing system sends it, keyed by its 户号 in the path."""

    floor_area_centi = fields.Int(strict=True, load_default=None, validate=validate.Range(0, 10_000_000),
                                  metadata={"description": "面积 in hundredths of a square metre"})


class HouseholdQuery(Schema):
    q = fields.Str(required=True, validate=length(100))


class EstateOut(NamedOut):
    area = fields.Nested(NamedOut)


class HouseholdOut(HouseholdBriefOut):
    area = fields.Nested(NamedOut)
    branch = fields.Function(lambda h: {"id": h.area.branch.id, "name": h.area.branch.name})


class RecentOrderOut(Schema):
    number = fields.Str()
    status_label = fields.Function(lambda o: STATUSES[o.status])
    category_label = fields.Function(lambda o: CATEGORIES[o.category])
    created_at = Moment()


class HouseholdFileOut(HouseholdOut):
    """A household as the dispatcher taking its call sees it: has it called already this week?"""

    calls_this_week = fields.Int(metadata={"description": "orders opened in the last seven days"})
    recent_orders = fields.List(fields.Nested(RecentOrderOut), metadata={"description": "the latest three"})
