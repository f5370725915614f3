from marshmallow import Schema, fields, validate

from app.schemas import Id, TextId, line

CODE = validate.Regexp(r"^[A-Z][A-Z0-9]{0,9}$", error="代码为 1–10 位大写字母或数字,以字母开头,如 CD")


class BranchIn(Schema):
    name = fields.Str(required=True, validate=line(64))
    code = fields.Str(required=True, validate=CODE, metadata={"description": "starts slip serials: CD-2026-000001"})
    phone = fields.Str(load_default="", validate=line(32, min_length=0))


class NameIn(Schema):
    name = fields.Str(required=True, validate=line(64))


class AreaIn(NameIn):
    branch_id = Id(required=True)


class EstateIn(NameIn):
    area_id = Id(required=True)


class ListQuery(Schema):
    include_inactive = fields.Bool(load_default=False, metadata={"description": "deactivated ones too"})
    branch_id = TextId(load_default=None)
    area_id = TextId(load_default=None)


class TechniciansIn(Schema):
    technician_ids = fields.List(Id(), required=True, metadata={"description": "[] for nobody"})


class BranchRecordOut(Schema):
    id = fields.Int()
    name = fields.Str()
    code = fields.Str()
    phone = fields.Str()
    active = fields.Bool()


class AreaRecordOut(Schema):
    id = fields.Int()
    branch_id = fields.Int()
    name = fields.Str()
    active = fields.Bool()
    technician_ids = fields.Function(lambda area: [u.id for u in area.technicians])


class EstateRecordOut(Schema):
    id = fields.Int()
    area_id = fields.Int()
    name = fields.Str()
    active = fields.Bool()
