from marshmallow import Schema, fields

from app.schemas import Moment
from app.visits import checklist


class StepOut(Schema):
    step = fields.Str()
    outcome = fields.Str()
    reason = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    at = Moment()


class NoteOut(Schema):
    step = fields.Str(allow_none=True)
    text = fields.Str()
    at = Moment()


class ReadingOut(Schema):
    room = fields.Str()
    room_label = fields.Function(lambda r: checklist.ROOMS[r.room])
    celsius = fields.Function(lambda r: r.tenths / 10)
    minimum_tenths = fields.Int(metadata={"description": "the standard when it was measured, in 0.1 °C"})
    below_standard = fields.Bool()
    at = Moment()
    measured_at = Moment(metadata={"description": "the phone's clock when measured: what the slip shows"})


class RepairOut(Schema):
    fault_location = fields.Str()
    fault_location_label = fields.Function(lambda r: checklist.FAULT_LOCATIONS[r.fault_location])
    resolution = fields.Str()
    resolution_label = fields.Function(lambda r: checklist.RESOLUTIONS[r.resolution])
    diagnosis = fields.Str()
    result = fields.Str()
    at = Moment()


class DamageOut(Schema):
    description = fields.Str()
    at = Moment()


class PhotoOut(Schema):
    id = fields.Int()
    client_uuid = fields.Str()
    step = fields.Str()
    kind = fields.Str()
    width = fields.Int()
    height = fields.Int()
    size_bytes = fields.Int()
    # What a signed slip lists for this photo (docs/slips.md): the hash of the bytes the phone sent,
    # or of the stored file for photos from before that hash was kept.
    upload_sha256 = fields.Function(lambda p: p.upload_sha256 or p.sha256)
    taken_at = Moment()
    url = fields.Function(lambda p: f"/api/v1/photos/{p.id}")
    thumbnail_url = fields.Function(lambda p: f"/api/v1/photos/{p.id}/thumbnail")


class MaterialUsedOut(Schema):
    """A material used on the visit at no charge to the customer (公司承担)."""

    material_id = fields.Int()
    code = fields.Function(lambda m: m.material.code)
    name = fields.Function(lambda m: m.material.name)
    specification = fields.Function(lambda m: m.material.specification)
    unit = fields.Function(lambda m: m.material.unit)
    quantity_centi = fields.Int()
    below_zero = fields.Bool(metadata={"description": "recorded when the van's books held less"})
    at = Moment()


class VisitOut(Schema):
    id = fields.Int()
    started_at = Moment()
    finished_at = Moment(allow_none=True)
    steps = fields.Nested(StepOut, many=True)
    notes = fields.Nested(NoteOut, many=True)
    readings = fields.Nested(ReadingOut, many=True)
    repair = fields.Nested(RepairOut, allow_none=True)
    damages = fields.Nested(DamageOut, many=True)
    photos = fields.Nested(PhotoOut, many=True)
    materials = fields.Nested(MaterialUsedOut, many=True)


class ChecklistStepOut(Schema):
    code = fields.Str()
    label = fields.Str()
    title = fields.Str()
    hint = fields.Str()
    photos = fields.List(fields.Str())
