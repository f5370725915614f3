from marshmallow import Schema, fields

from app.schemas import length


class LoginIn(Schema):
    username = fields.Str(required=True, validate=length(64))
    password = fields.Str(required=True, validate=length(256), load_only=True)


class BranchOut(Schema):
    id = fields.Int()
    name = fields.Str()
    phone = fields.Str()


class UserOut(Schema):
    id = fields.Int()
    username = fields.Str()
    name = fields.Str()
    role = fields.Str()
    role_label = fields.Str()
    badge_number = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    branch = fields.Nested(BranchOut, allow_none=True)


class SessionOut(Schema):
    authenticated = fields.Bool()
    user = fields.Nested(UserOut, allow_none=True)
    csrf_token = fields.Str()
    time_zone = fields.Str()
