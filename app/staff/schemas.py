from marshmallow import Schema, fields, validate

from app.auth.models import ROLES
from app.schemas import TextId, line, one_of

USERNAME = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._\-]{1,63}$",
                           error="用户名为 2–64 位字母、数字或 . _ -(维修师傅用工号)")
BADGE = validate.Regexp(r"^[A-Za-z0-9\-]{1,20}$", error="工号为 1–20 位字母、数字或 -")
PHONE = validate.Regexp(r"^[0-9+\- ]{5,20}$", error="电话号码格式不正确")


class StaffIn(Schema):
    """A person as the admin's form and the API give them; a technician's username is their 工号."""

    username = fields.Str(load_default=None, validate=USERNAME)
    name = fields.Str(required=True, validate=line(64))
    role = fields.Str(required=True, validate=one_of(ROLES))
    phone = fields.Str(load_default="", validate=PHONE)
    badge_number = fields.Str(load_default="", validate=BADGE)
    branch_id = TextId(load_default=None)
    area_ids = fields.List(TextId(), load_default=list)


class StaffOut(Schema):
    id = fields.Int()
    username = fields.Str()
    name = fields.Str()
    role = fields.Str()
    role_label = fields.Str()
    phone = fields.Str(allow_none=True)
    badge_number = fields.Str(allow_none=True)
    branch_id = fields.Int(allow_none=True)
    area_ids = fields.Function(lambda user: [area.id for area in user.areas])
    active = fields.Bool()
