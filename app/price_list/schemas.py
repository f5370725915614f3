from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from app.extensions import db
from app.materials.models import Material
from app.paid_service.services import quantity_centi
from app.price_list.models import CATEGORIES
from app.price_list.money import NotAnAmount, format_fen, parse_yuan
from app.schemas import Id, line, one_of

CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}$", error="编码为 1–32 位字母、数字或 . _ -")
DATE_ERRORS = {"invalid": "日期格式不正确,应如 2026-11-25"}


class Yuan(fields.Field):
    """An amount typed in yuan ("45", "45.50", "¥1,234.50"), loaded as integer fen."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_yuan(value)
        except NotAnAmount as error:
            raise ValidationError(str(error)) from error


# ---- input ----

class Quantity(fields.Field):
    """A quantity typed as text ("1", "0.5"), loaded as hundredths; zero only where `allow_zero` (a count)."""

    def __init__(self, allow_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.allow_zero = allow_zero

    def _deserialize(self, value, attr, data, **kwargs):
        if self.allow_zero and str(value).strip() in ("0", "0.0", "0.00"):
            return 0
        try:
            return quantity_centi(value)
        except ValueError as error:
            raise ValidationError("数量须为大于 0 的数,最多两位小数") from error


class PriceItemIn(Schema):
    code = fields.Str(required=True, validate=CODE)
    name = fields.Str(required=True, validate=line(64))
    specification = fields.Str(load_default="", validate=line(64, min_length=0))
    unit = fields.Str(required=True, validate=line(8))
    category = fields.Str(required=True, validate=one_of(CATEGORIES))
    price_fen = Yuan(required=True, data_key="price", metadata={"description": "yuan, e.g. \"45.50\""})
    is_basic_labour_fee = fields.Bool(load_default=False)
    after_sales = fields.Str(load_default="", validate=line(200, min_length=0),
                             metadata={"description": "售后服务; empty: the category's"})
    warranty_months = fields.Int(load_default=0, validate=validate.Range(0, 120, error="保修期应为 0–120 个月"))
    material_code = fields.Str(load_default="", validate=validate.Regexp(r"^$|^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}$",
                               error="材料编码为 1–32 位字母、数字或 . _ -"),
                               metadata={"description": "the material a company-supplied line takes from the van"})
    material_quantity = Quantity(load_default=100, data_key="material_quantity",
                                 metadata={"description": "how much of the material per unit of the item, e.g. \"1\""})

    @post_load
    def material(self, data, **_kwargs):
        """The material's code as its id (None: no material); :raise ValidationError: an unknown code."""
        code = data.pop("material_code").upper()
        data["material_centi"] = data.pop("material_quantity")
        data["material_id"] = None
        if code:
            found = db.session.execute(db.select(Material.id).filter_by(code=code)).scalar()
            if found is None:
                raise ValidationError({"material_code": [f"材料目录中没有编码 {code}"]})
            data["material_id"] = found
        return data

    @pre_load
    def tidy(self, data, **_kwargs):
        tidied = {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}
        if isinstance(tidied.get("code"), str):
            tidied["code"] = tidied["code"].upper()
        return tidied


class DraftIn(Schema):
    name = fields.Str(required=True, validate=line(64))
    based_on_id = Id(load_default=None, metadata={"description": "copy this version's items"})


class PublishIn(Schema):
    effective_from = fields.Date(required=True, error_messages=DATE_ERRORS)


class InForceQuery(Schema):
    on = fields.Date(load_default=None, error_messages=DATE_ERRORS,
                     metadata={"description": "a date in the company's zone; today when left out"})


# ---- output ----

class PriceItemOut(Schema):
    id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    specification = fields.Str()
    unit = fields.Str()
    category = fields.Str()
    category_label = fields.Str()
    price_fen = fields.Int()
    price = fields.Function(lambda item: format_fen(item.price_fen), metadata={"description": "¥1,234.50"})
    is_basic_labour_fee = fields.Bool()
    after_sales = fields.Function(lambda item: item.terms[0],
                                  metadata={"description": "售后服务 a slip prints: the item's, else its category's"})
    warranty_months = fields.Function(lambda item: item.terms[1], metadata={"description": "0: no period stated"})


class VersionOut(Schema):
    id = fields.Int()
    name = fields.Str()
    status = fields.Str(metadata={"description": "draft | published"})
    effective_from = fields.Date(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    basic_labour_fee_fen = fields.Function(
        lambda version: version.basic_labour_fee.price_fen if version.basic_labour_fee else None
    )
    items = fields.List(fields.Nested(PriceItemOut), attribute="items_in_order")
