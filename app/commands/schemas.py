from marshmallow import Schema, ValidationError, fields, validate

from app.api import ErrorOut
from app.field.schemas import JobOut
from app.schemas import CHOOSE_ONE, Id, Moment, TextId, length, one_of
from app.service_slips.schemas import SignIn
from app.visits import checklist

COMMAND_TYPES = ("transition", "step", "note", "reading", "repair", "damage", "material", "sign_slip")
COMMAND_LABELS = {"transition": "状态变更", "step": "服务步骤", "note": "备注", "reading": "测温",
                  "repair": "维修情况", "damage": "损坏记录", "material": "材料", "photo": "照片",
                  "sign_slip": "服务单签名"}
PHONE_TRANSITIONS = ("accept", "contact", "tell", "depart", "arrive", "complete")


class CommandIn(Schema):
    client_uuid = fields.UUID(required=True)
    type = fields.Str(required=True, validate=one_of(COMMAND_TYPES))
    work_order_id = Id(required=True)
    payload = fields.Dict(load_default=dict)
    device_time = Moment(load_default=None)


class TransitionPayload(Schema):
    action = fields.Str(required=True, validate=one_of(PHONE_TRANSITIONS))
    note = fields.Str(load_default=None, validate=length(2000, min_length=0))


class StepPayload(Schema):
    step = fields.Str(required=True, validate=one_of(checklist.STEP_CODES))
    outcome = fields.Str(required=True, validate=one_of(("done", "skipped")))
    reason = fields.Str(load_default=None, validate=length(500, min_length=0))
    note = fields.Str(load_default=None, validate=length(2000, min_length=0))


class NotePayload(Schema):
    text = fields.Str(required=True, validate=length(2000))
    step = fields.Str(load_default=None, validate=one_of(checklist.STEP_CODES))


class ReadingPayload(Schema):
    room = fields.Str(required=True, validate=one_of(checklist.ROOMS))
    celsius = fields.Float(required=True, validate=validate.Range(min=-10, max=40, error="应在 -10 至 40 °C 之间"))


class RepairPayload(Schema):
    fault_location = fields.Str(required=True, validate=one_of(checklist.FAULT_LOCATIONS))
    resolution = fields.Str(required=True, validate=one_of(checklist.RESOLUTIONS))
    diagnosis = fields.Str(required=True, validate=length(2000))
    result = fields.Str(required=True, validate=length(2000))


class DamagePayload(Schema):
    description = fields.Str(required=True, validate=length(2000))


class MaterialPayload(Schema):
    material_id = Id(required=True)
    quantity_centi = fields.Int(required=True, strict=True, validate=validate.Range(
        min=1, max=100_000_00, error="数量须大于 0"), metadata={"description": "hundredths of the unit: 1.5 米 is 150"})


PAYLOADS = {
    "transition": TransitionPayload(),
    "step": StepPayload(),
    "note": NotePayload(),
    "reading": ReadingPayload(),
    "repair": RepairPayload(),
    "damage": DamagePayload(),
    "material": MaterialPayload(),
    "sign_slip": SignIn(),
}


def load_payload(type_, payload):
    """:raise ValidationError: with field names under payload (or `type`, for a type that has none)."""
    schema = PAYLOADS.get(type_)
    if schema is None:
        raise ValidationError({"type": [CHOOSE_ONE]})
    try:
        return schema.load(payload)
    except ValidationError as error:
        raise ValidationError({"payload": error.messages}) from error


class PhotoIn(Schema):
    client_uuid = fields.UUID(required=True)
    work_order_id = TextId(required=True)
    step = fields.Str(required=True, validate=one_of(checklist.STEP_CODES))
    kind = fields.Str(required=True, validate=one_of(checklist.PHOTO_KINDS))
    device_time = Moment(load_default=None)


class CommandOut(Schema):
    client_uuid = fields.Str()
    status = fields.Str()
    replayed = fields.Bool()
    work_order = fields.Nested(JobOut, allow_none=True,
                               metadata={"description": "null when the order is no longer the sender's"})


BATCH_MAX = 25  # a visit's records, or an hour offline: more waits for the next request


class BatchIn(Schema):
    commands = fields.List(fields.Nested(CommandIn), required=True,
                           validate=validate.Length(min=1, max=BATCH_MAX, error=f"一次发送 1 至 {BATCH_MAX} 条记录"))


class BatchResultOut(CommandOut):
    http_status = fields.Int(metadata={"description": "what POST /commands would have answered for this item"})
    error = fields.Nested(ErrorOut, metadata={"description": "a refused item's answer (its status not 200)"})
    work_order = fields.Nested(JobOut, allow_none=True, metadata={
        "description": "the order after the whole batch, on the last item of that order only; null on the others"})


class BatchOut(Schema):
    results = fields.List(fields.Nested(BatchResultOut), metadata={"description": "one per item, in order"})
