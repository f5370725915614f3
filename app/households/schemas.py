from marshmallow import Schema, fields, validate

from app.schemas import Id, length, line
from app.work_orders.schemas import HouseholdBriefOut, NamedOut

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


class HouseholdQuery(Schema):
    q = fields.Str(required=True, validate=length(100))


class EstateOut(NamedOut):
    area = fields.Nested(NamedOut)


class HouseholdOut(HouseholdBriefOut):
    area = fields.Nested(NamedOut)
    branch = fields.Function(lambda h: {"id": h.area.branch.id, "name": h.area.branch.name})
