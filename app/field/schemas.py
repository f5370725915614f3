from marshmallow import Schema, fields

from app.auth.schemas import UserOut
from app.schemas import Moment
from app.service_slips.schemas import SlipBriefOut, SlipTermsOut
from app.visits.schemas import ChecklistStepOut, VisitOut
from app.work_orders.schemas import WorkOrderOut


class JobOut(WorkOrderOut):
    """A work order as the phone keeps it: with the visit in progress (or the last one)."""

    visit = fields.Function(lambda o: VISIT_OUT.dump(o.current_visit) if o.current_visit else None)
    slip = fields.Function(lambda o: SLIP_OUT.dump(o.current_slip) if o.current_slip else None)


VISIT_OUT = VisitOut()
SLIP_OUT = SlipBriefOut()


class RoomStandardOut(Schema):
    """000 七: from day_starts to day_ends (minutes after local midnight) at least day_min_tenths (0.1 °C),
    at other times at least night_min_tenths."""

    day_starts = fields.Int()
    day_ends = fields.Int()
    day_min_tenths = fields.Int()
    night_min_tenths = fields.Int()
    text = fields.Str()
    time_zone = fields.Str()


class ChecklistOut(Schema):
    steps = fields.Nested(ChecklistStepOut, many=True)
    photo_kinds = fields.Dict(keys=fields.Str(), values=fields.Str())
    rooms = fields.Dict(keys=fields.Str(), values=fields.Str())
    fault_locations = fields.Dict(keys=fields.Str(), values=fields.Str())
    resolutions = fields.Dict(keys=fields.Str(), values=fields.Str())
    min_room_celsius = fields.Float()
    room_standard = fields.Nested(RoomStandardOut)


class VanMaterialOut(Schema):
    """A material the technician may record using: the branch's catalogue with what their van holds."""

    material_id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    specification = fields.Str()
    unit = fields.Str()
    whole_units = fields.Bool()
    on_hand_centi = fields.Int(metadata={"description": "in the van's books, hundredths of the unit"})


class BundleOut(Schema):
    generated_at = Moment()
    technician = fields.Nested(UserOut)
    jobs = fields.Nested(JobOut, many=True)
    checklist = fields.Nested(ChecklistOut)
    slip_terms = fields.Nested(SlipTermsOut)
    materials = fields.Nested(VanMaterialOut, many=True)
    price_list_version_id = fields.Int(allow_none=True, metadata={
        "description": "the price list in force today; the phone fetches it when it has not got this one"})
