from marshmallow import Schema, fields

from app.schemas import length


class LoginIn(Schema):
    username = fields.Str(required=True, validate=length(64))
    password = fields.Str(required=True, validate=length(256), load_only=True)


class PasswordIn(Schema):
    """One's own new password: the current one, and the new one twice."""

    current = fields.Str(required=True, validate=length(256), load_only=True)
    new = fields.Str(required=True, validate=length(256, 8), load_only=True)
    again = fields.Str(required=True, validate=length(256), load_only=True)


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
    must_change_password = fields.Bool(metadata={"description": "a first password: choose one's own first"})


class SessionOut(Schema):
    authenticated = fields.Bool()
    user = fields.Nested(UserOut, allow_none=True)
    csrf_token = fields.Str()
    time_zone = fields.Str()
