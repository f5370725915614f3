"""Materials and stock in and out of the API and the desk's forms. Quantities travel as hundredths of the
unit in JSON (`quantity_centi`: 1.5 米 is 150) and as typed text in a form ("1.5")."""
from marshmallow import Schema, fields, pre_load, validate

from app.materials.models import KINDS
from app.price_list.money import format_fen
from app.price_list.schemas import CODE, DATE_ERRORS, Quantity, Yuan
from app.price_list.services import MAX_PRICE_FEN
from app.schemas import A_PAGE, Flag, Id, Moment, TextId, line, one_of

LARGEST_QUANTITY = 100_000_00
QUANTITY = validate.Range(min=1, max=LARGEST_QUANTITY, error="数量须大于 0")
COUNTED = validate.Range(min=0, max=LARGEST_QUANTITY, error="盘点数量须在 0–100000 之间")
DESK_KINDS = ("receipt", "issue", "return", "transfer", "write_off")  # what the storekeeper enters by hand


class MaterialIn(Schema):
    code = fields.Str(required=True, validate=CODE)
    name = fields.Str(required=True, validate=line(64))
    specification = fields.Str(load_default="", validate=line(64, min_length=0))
    unit = fields.Str(required=True, validate=line(8))
    whole_units = Flag(load_default=True, metadata={"description": "个、只: whole units; 米: hundredths allowed"})
    cost_fen = fields.Int(required=True, strict=True, validate=validate.Range(0, MAX_PRICE_FEN, error="成本价不合理"),
                          metadata={"description": "cost price in fen"})
    min_stock_centi = fields.Int(load_default=0, strict=True, validate=COUNTED,
                                 metadata={"description": "low stock below this in a branch's store (hundredths)"})
    branch_id = Id(load_default=None, metadata={"description": "the one branch that stocks it; null: every branch"})
    active = Flag(load_default=True)

    @pre_load
    def tidy(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data  # refused by the schema as it is (422), not taken apart here
        tidied = {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}
        if isinstance(tidied.get("code"), str):
            tidied["code"] = tidied["code"].upper()
        return tidied


class MaterialForm(MaterialIn):
    """The same from a desk form or a spreadsheet row: money in yuan and the minimum as typed."""

    cost_fen = Yuan(required=True, data_key="cost")
    min_stock_centi = Quantity(load_default=0, data_key="min_stock", allow_zero=True)


class MaterialOut(Schema):
    id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    specification = fields.Str()
    unit = fields.Str()
    whole_units = fields.Bool()
    cost_fen = fields.Int()
    cost = fields.Function(lambda m: format_fen(m.cost_fen), metadata={"description": "¥42.00"})
    min_stock_centi = fields.Int()
    branch_id = fields.Int(allow_none=True)
    active = fields.Bool()


class CatalogueQuery(Schema):
    branch_id = TextId(load_default=None, metadata={"description": "the materials this branch stocks"})
    include_inactive = fields.Bool(load_default=False, metadata={"description": "materials no longer in use too"})


class LevelsQuery(Schema):
    branch_id = TextId(load_default=None, metadata={"description": "a branch's store and vans (a desk role)"})
    technician_id = TextId(load_default=None, metadata={"description": "one technician's van"})


class LevelOut(Schema):
    location_id = fields.Int()
    place = fields.Str(metadata={"description": "store | van"})
    branch_id = fields.Int()
    technician_id = fields.Int(allow_none=True)
    material_id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    unit = fields.Str()
    on_hand_centi = fields.Int()
    min_stock_centi = fields.Int(allow_none=True, metadata={"description": "a store's minimum; null for a van"})


class MovementIn(Schema):
    """One movement at the desk. Where from and to follows from `kind`: a receipt into the branch's store,
    an issue to `technician_id`'s van, a return from it, a transfer from it to `to_technician_id`'s, a
    write-off from the store (or the van of `technician_id`, when given) with a reason."""

    kind = fields.Str(required=True, validate=one_of(DESK_KINDS))
    branch_id = Id(required=True)
    material_id = Id(required=True)
    quantity_centi = fields.Int(required=True, strict=True, validate=QUANTITY,
                                metadata={"description": "hundredths of the unit: 1.5 米 is 150"})
    technician_id = Id(load_default=None)
    to_technician_id = Id(load_default=None)
    reason = fields.Str(load_default=None, validate=line(200, min_length=0))
    booked_on = fields.Date(load_default=None, error_messages=DATE_ERRORS,
                            metadata={"description": "its day (today when left out); not in a closed month"})


class MovementForm(MovementIn):
    """The same from a desk form: the quantity as typed."""

    quantity_centi = Quantity(required=True, data_key="quantity")


class CountIn(Schema):
    """A stock count (盘点) of one material in the branch's store, or in `technician_id`'s van."""

    branch_id = Id(required=True)
    material_id = Id(required=True)
    technician_id = Id(load_default=None)
    counted_centi = fields.Int(required=True, strict=True, validate=COUNTED)
    booked_on = fields.Date(load_default=None, error_messages=DATE_ERRORS)


class CountForm(CountIn):
    counted_centi = Quantity(required=True, data_key="counted", allow_zero=True)


class MovementsQuery(Schema):
    branch_id = TextId(required=True)
    material_id = TextId(load_default=None)
    technician_id = TextId(load_default=None, metadata={"description": "movements into or out of this van"})
    kind = fields.Str(load_default=None, validate=one_of(KINDS))
    page = fields.Int(load_default=1, validate=A_PAGE)


class MovementOut(Schema):
    id = fields.Int()
    kind = fields.Str()
    kind_label = fields.Function(lambda m: KINDS[m.kind])
    branch_id = fields.Int()
    material_id = fields.Int()
    code = fields.Function(lambda m: m.material.code)
    source_id = fields.Int(allow_none=True)
    target_id = fields.Int(allow_none=True)
    quantity_centi = fields.Int()
    unit_cost_fen = fields.Int()
    work_order_id = fields.Int(allow_none=True)
    slip_id = fields.Int(allow_none=True)
    charged = fields.Bool(metadata={"description": "a slip's line the customer paid for"})
    below_zero = fields.Bool()
    reason = fields.Str(allow_none=True)
    actor_id = fields.Int()
    at = Moment()
    booked_on = fields.Date()
