from marshmallow import Schema, fields, validate

from app.api import schema_rule
from app.callbacks import queue
from app.callbacks.models import SOURCES, STATUSES
from app.callbacks.services import is_flagged
from app.schemas import A_PAGE, NOT_BLANK_JSON, Flag, Moment, TextId, length, one_of
from app.service_slips.content import SATISFACTION
from app.work_orders.schemas import HouseholdBriefOut, NamedOut, TechnicianOut
from app.work_orders.vocabulary import CATEGORIES
from app.work_orders.vocabulary import STATUSES as ORDER_STATUSES

# ---- input ----


CHOOSE_SOLVED = {"required": "请选择问题是否已解决"}


@schema_rule(oneOf=[
    {"properties": {"solved": {"enum": [True]}}},
    {"required": ["comment"], "properties": {"solved": {"enum": [False]}, "comment": NOT_BLANK_JSON}},
])
class AnswerIn(Schema):
    solved = Flag(required=True, error_messages=CHOOSE_SOLVED,
                         metadata={"description": "问题是否已解决; false reopens the order"})
    satisfaction = fields.Str(required=True, validate=one_of(SATISFACTION),
                              error_messages={"required": "请选择满意程度"})
    comment = fields.Str(load_default="", validate=length(500, min_length=0),
                         metadata={"description": "required when not solved: what the customer says is wrong"})
    close = Flag(load_default=False, metadata={"description": "solved: close the order at once"})


class AnswerForm(AnswerIn):
    """The desk's form: 已解决 / 未解决 as radio buttons, so that an unticked choice is missing, not false."""

    solved = fields.Str(required=True, validate=one_of(("yes", "no")), error_messages=CHOOSE_SOLVED)


class AttemptIn(Schema):
    note = fields.Str(load_default="", validate=length(500, min_length=0))
    retry_at = Moment(load_default=None, metadata={"description": "08:00–20:00; default: an hour from now"})


class CallbackQuery(Schema):
    status = fields.Str(load_default="pending", validate=one_of(STATUSES))
    overdue = fields.Bool(load_default=False)
    branch_id = TextId(load_default=None)
    page = fields.Int(load_default=1, validate=A_PAGE)
    per_page = fields.Int(load_default=50, validate=validate.Range(min=1, max=200, error="须在 1–200 之间"))


# ---- output ----


class AttemptOut(Schema):
    at = Moment()
    by = fields.Function(lambda a: a.by.name)
    note = fields.Str(allow_none=True)
    retry_at = Moment(allow_none=True)


class RatingOut(Schema):
    satisfaction = fields.Str()
    satisfaction_label = fields.Function(lambda r: SATISFACTION[r.satisfaction])
    solved = fields.Bool(allow_none=True)
    comment = fields.Str()
    rated_at = Moment()


class OrderBriefOut(Schema):
    id = fields.Int()
    number = fields.Str()
    status = fields.Str()
    status_label = fields.Function(lambda o: ORDER_STATUSES[o.status])
    description = fields.Str()
    household = fields.Nested(HouseholdBriefOut)


class CallbackOut(Schema):
    id = fields.Int()
    round = fields.Int()
    category = fields.Str()
    category_label = fields.Function(lambda c: CATEGORIES[c.category])
    work_order = fields.Nested(OrderBriefOut)
    branch = fields.Nested(NamedOut)
    technician = fields.Nested(TechnicianOut, allow_none=True)
    completed_at = Moment()
    due_from = Moment()
    due_by = Moment()
    status = fields.Str()
    due_state = fields.Function(lambda c: queue.due_state(c).state)
    due_text = fields.Function(lambda c: queue.due_state(c).text)
    flagged = fields.Function(is_flagged, metadata={"description": "客户扫码反映未解决: call the customer"})
    customer_rating = fields.Function(lambda c: RatingOut().dump(c.slip_rating) if c.slip_rating else None)
    attempts = fields.Nested(AttemptOut, many=True)
    answered_at = Moment(allow_none=True)
    answered_by = fields.Function(lambda c: c.answered_by.name if c.answered_by else None)
    source = fields.Str(allow_none=True)
    source_label = fields.Function(lambda c: SOURCES.get(c.source) if c.source else None)
    solved = fields.Bool(allow_none=True)
    satisfaction = fields.Str(allow_none=True)
    comment = fields.Str(allow_none=True)


class CallbackPageOut(Schema):
    items = fields.Nested(CallbackOut, many=True)
    total = fields.Int()
    page = fields.Int()
    per_page = fields.Int()
