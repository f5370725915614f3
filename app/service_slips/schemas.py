import base64
import binascii
import json

from marshmallow import Schema, ValidationError, fields, post_load, validate

from app.schemas import Id, Moment, length, one_of, text
from app.service_slips import content
from app.service_slips.models import STATUSES
from app.service_slips.services import verify_integrity


class Base64Png(fields.Str):
    """A PNG sent as base64 (no data: prefix) → its bytes; what the bytes are is checked by the service."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError("签名图片编码不正确") from error


class WantedLineIn(Schema):
    price_item_id = Id(required=True)
    quantity = fields.Str(required=True, validate=length(12))
    supplied_by = fields.Str(load_default="company", validate=one_of(("company", "customer")))


class PaymentIn(Schema):
    method = fields.Str(required=True, validate=one_of(content.PAYMENT_METHODS))
    collected_fen = fields.Int(required=True, strict=True, validate=validate.Range(min=0, error="不能为负数"))


class FeedbackIn(Schema):
    satisfaction = fields.Str(required=True, validate=one_of(content.SATISFACTION))
    comment = fields.Str(load_default="", validate=length(500, min_length=0))


class SignaturesIn(Schema):
    customer = Base64Png(required=True)
    technician = Base64Png(required=True)


class SignIn(Schema):
    """The `sign_slip` command's payload (docs/slips.md §2)."""

    price_list_version_id = Id(load_default=None)
    lines = fields.List(fields.Nested(WantedLineIn), load_default=list)
    payment = fields.Nested(PaymentIn, required=True)
    feedback = fields.Nested(FeedbackIn, required=True)
    signed_at = Moment(required=True)
    replaces = fields.Str(load_default=None, validate=length(32))
    signatures = fields.Nested(SignaturesIn, required=True)
    content = fields.Dict(load_default=None)
    content_sha256 = fields.Str(required=True, validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error="须为 SHA-256"))

    @post_load
    def signatures_as_dict(self, data, **_kwargs):
        data["signatures"] = dict(data["signatures"])
        return data


class SlipBriefOut(Schema):
    """A slip as the phone and the order list show it."""

    id = fields.Int()
    serial = fields.Str()
    status = fields.Str()
    status_label = fields.Function(lambda s: STATUSES[s.status])
    charged = fields.Bool()
    total_fen = fields.Int()
    payment_method = fields.Str()
    collected_fen = fields.Int()
    signed_at = Moment()
    content_sha256 = fields.Str()
    replaces = fields.Function(lambda s: s.replaces.serial if s.replaces else None)
    void_reason = fields.Str(allow_none=True)
    pdf_url = fields.Function(lambda s: f"/api/v1/slips/{s.id}/pdf")
    customer_copy_url = fields.Function(lambda s: f"/api/v1/slips/{s.id}/pdf?copy=customer")


class SlipOut(SlipBriefOut):
    work_order_id = fields.Int()
    branch = fields.Function(lambda s: s.branch.name)
    technician = fields.Function(lambda s: s.technician.name)
    content = fields.Function(lambda s: json.loads(s.content))
    voided_at = Moment(allow_none=True)
    replaced_by = fields.Function(lambda s: s.replaced_by.serial if s.replaced_by else None)
    integrity = fields.Function(lambda s: "intact" if verify_integrity(s) else "altered")


class VoidIn(Schema):
    reason = fields.Str(required=True, validate=text(500))


class PdfQuery(Schema):
    copy = fields.Str(load_default=None, validate=one_of([code for code, _, _ in content.COPIES]))


class RatingIn(Schema):
    satisfaction = fields.Str(required=True, validate=one_of(content.SATISFACTION))
    comment = fields.Str(load_default="", validate=length(500, min_length=0))


class SlipTermsOut(Schema):
    clause = fields.Str()
    payment_methods = fields.Dict(keys=fields.Str(), values=fields.Str())
    satisfaction = fields.Dict(keys=fields.Str(), values=fields.Str())


class RenderingOut(Schema):
    status = fields.Str(metadata={"description": "rendering"})
    message = fields.Str()
