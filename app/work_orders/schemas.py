from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api import schema_rule
from app.clocks import seasons
from app.clocks import services as clocks
from app.schemas import A_PAGE, NOT_BLANK_JSON, Flag, Id, Moment, TextId, length, one_of, text
from app.work_orders.services import TRANSITIONS, available_actions
from app.work_orders.vocabulary import (
    ACTIONS,
    CATEGORIES,
    CHANNELS,
    STATUSES,
    URGENT_CATEGORIES,
)

# Every transition of the state machine, and the two desk actions beside it: taken from the machine, so an
# action the order's allowed_actions offers is never one this schema refuses.
TRANSITION_ACTIONS = (*TRANSITIONS, "cancel", "answer")


# ---- input ----

@schema_rule(anyOf=[
    {"required": ["household_id"], "properties": {"household_id": {"type": "integer"}}},
    {"required": ["account_number"], "properties": {"account_number": {"type": "string", "minLength": 1}}},
])
class WorkOrderIn(Schema):
    household_id = Id(load_default=None)
    account_number = fields.Str(load_default=None, metadata={"description": "户号, instead of household_id"})
    channel = fields.Str(required=True, validate=one_of(CHANNELS))
    category = fields.Str(required=True, validate=one_of(CATEGORIES))
    description = fields.Str(required=True, validate=text(2000))
    technician_id = Id(load_default=None, metadata={"description": "dispatch at once to this technician"})
    appointment_at = Moment(load_default=None)
    customer_asked_night = Flag(load_default=False)


@schema_rule(oneOf=[
    {"required": ["action", "reason"], "properties": {"action": {"enum": ["cancel"]}, "reason": NOT_BLANK_JSON}},
    {"required": ["action", "note"], "properties": {"action": {"enum": ["answer"]}, "note": NOT_BLANK_JSON}},
    {"properties": {"action": {"enum": [a for a in TRANSITION_ACTIONS if a not in ("cancel", "answer")]}}},
])
class TransitionIn(Schema):
    action = fields.Str(required=True, validate=one_of(TRANSITION_ACTIONS))
    note = fields.Str(load_default=None, validate=length(2000, min_length=0))
    reason = fields.Str(load_default=None, validate=length(2000, min_length=0))
    device_time = Moment(load_default=None)


class AssignmentIn(Schema):
    technician_id = Id(required=True)


class AppointmentIn(Schema):
    appointment_at = Moment(required=True)
    customer_asked_night = Flag(load_default=False)


class WorkOrderQuery(Schema):
    status = fields.List(fields.Str(validate=one_of(STATUSES)), load_default=None)
    category = fields.Str(load_default=None, validate=one_of(CATEGORIES))
    branch_id = TextId(load_default=None)
    area_id = TextId(load_default=None)
    technician_id = TextId(load_default=None)
    overdue = fields.Bool(load_default=None)
    open = fields.Bool(load_default=True, metadata={"description": "only orders not yet finished"})
    page = fields.Int(load_default=1, validate=A_PAGE)
    per_page = fields.Int(load_default=50, validate=validate.Range(min=1, max=200, error="须在 1–200 之间"))


# ---- output ----

class NamedOut(Schema):
    id = fields.Int()
    name = fields.Str()


class TechnicianOut(NamedOut):
    badge_number = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)


class HouseholdBriefOut(Schema):
    id = fields.Int()
    account_number = fields.Str()
    name = fields.Str()
    phone = fields.Str()
    address = fields.Str()
    estate = fields.Function(lambda h: h.estate.name)
    building = fields.Str()
    unit = fields.Str()
    room = fields.Str()


class ClockOut(Schema):
    name = fields.Str()
    label = fields.Str()
    due_at = Moment()
    met_at = Moment(allow_none=True)
    state = fields.Function(lambda clock: clock.state())


CLOCKS_OUT = ClockOut(many=True)  # one instance: building a schema per order cost more than dumping it


class StatusChangeOut(Schema):
    action = fields.Str()
    action_label = fields.Function(lambda c: ACTIONS.get(c.action, c.action))
    from_status = fields.Str(allow_none=True)
    to_status = fields.Str()
    actor = fields.Function(lambda c: c.actor.name if c.actor else None)
    at = Moment()
    device_time = Moment(allow_none=True)
    note = fields.Str(allow_none=True)


class WorkOrderBriefOut(Schema):
    id = fields.Int()
    number = fields.Str()
    channel = fields.Str()
    channel_label = fields.Function(lambda o: CHANNELS[o.channel])
    category = fields.Str()
    category_label = fields.Function(lambda o: CATEGORIES[o.category])
    urgent = fields.Function(lambda o: o.category in URGENT_CATEGORIES)
    description = fields.Str()
    status = fields.Str()
    status_label = fields.Function(lambda o: STATUSES[o.status])
    household = fields.Nested(HouseholdBriefOut)
    branch = fields.Nested(NamedOut)
    area = fields.Nested(NamedOut)
    technician = fields.Nested(TechnicianOut, allow_none=True)
    created_at = Moment()
    next_due_at = Moment(allow_none=True)
    appointment_at = Moment(allow_none=True)
    clocks = fields.Function(lambda o: CLOCKS_OUT.dump(clocks.clocks(o)))


class WorkOrderOut(WorkOrderBriefOut):
    appointment_moves = fields.Int()
    appointment_night_requested = fields.Bool()
    dispatched_at = Moment(allow_none=True)
    accepted_at = Moment(allow_none=True)
    contacted_at = Moment(allow_none=True)
    departed_at = Moment(allow_none=True)
    arrived_at = Moment(allow_none=True)
    done_at = Moment(allow_none=True)
    called_back_at = Moment(allow_none=True)
    closed_at = Moment(allow_none=True)
    cancelled_at = Moment(allow_none=True)
    cancel_reason = fields.Str(allow_none=True)
    customer_told_at = Moment(allow_none=True, metadata={"description": "已告知客户可能迟到, when"})
    notice_from = fields.Method("_notice_from", metadata={
        "type": "string", "format": "date-time", "nullable": True,
        "description": "from then on, a technician not yet on his way tells the customer he may be late"})
    late_risk = fields.Function(lambda o: seasons.late_risk(o), metadata={
        "type": "string", "nullable": True, "enum": ["at_risk", "told", None]})
    history = fields.Nested(StatusChangeOut, many=True)
    # The user itself, not the proxy: available_actions reads its role once per transition.
    allowed_actions = fields.Function(lambda o: available_actions(o, current_user._get_current_object()))

    def _notice_from(self, order):
        moment = seasons.notice_from(order)
        return moment.isoformat() if moment else None


class WorkOrderPageOut(Schema):
    items = fields.Nested(WorkOrderBriefOut, many=True)
    total = fields.Int()
    page = fields.Int()
    per_page = fields.Int()
