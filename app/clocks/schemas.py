from marshmallow import Schema, fields

from app.schemas import length, one_of

KIND_WORKING = {"holiday": False, "workday": True}  # 放假 / 调休上班
DATE_ERRORS = {"invalid": "不是有效的日期,应如 2027-02-06"}


class CalendarDaysIn(Schema):
    first = fields.Date(required=True, data_key="from", error_messages=DATE_ERRORS)
    last = fields.Date(load_default=None, data_key="to", error_messages=DATE_ERRORS)
    kind = fields.Str(required=True, validate=one_of(KIND_WORKING))
    name = fields.Str(required=True, validate=length(20))


class SeasonIn(Schema):
    starts_on = fields.Date(required=True, error_messages=DATE_ERRORS)
    ends_on = fields.Date(required=True, error_messages=DATE_ERRORS)
