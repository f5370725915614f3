"""What the reconciliation forms accept."""
from marshmallow import Schema, ValidationError, fields

from app.price_list.money import NotAnAmount, parse_yuan
from app.schemas import length, one_of
from app.service_slips.content import COLLECTING_METHODS


class SignedYuan(fields.Field):
    """Yuan as typed, loaded as fen; a leading minus is a correction of an earlier entry (冲正)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip()
        sign = -1 if text[:1] in ("-", "−") else 1
        try:
            return sign * parse_yuan(text.lstrip("-−").strip())
        except NotAnAmount as error:
            raise ValidationError(str(error)) from error


class HandoverIn(Schema):
    method = fields.Str(required=True, validate=one_of(COLLECTING_METHODS))
    amount_fen = SignedYuan(required=True, data_key="amount")
    note = fields.Str(load_default="", validate=length(200, min_length=0))


class CloseIn(Schema):
    reason = fields.Str(load_default="", validate=length(500, min_length=0))
