"""Materials and stock through the API: the catalogue, stock levels and movements (docs/materials.md). A
technician reads only their own van; a storekeeper their own branch; the other desk roles every branch."""
from flask import current_app
from flask_login import current_user

from app.api import Blueprint
from app.auth.access import roles_required
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.materials import catalogue, desk, queries
from app.materials.models import Material, StockLevel, StockLocation
from app.materials.schemas import (
    CatalogueQuery,
    CountIn,
    LevelOut,
    LevelsQuery,
    MaterialIn,
    MaterialOut,
    MovementIn,
    MovementOut,
    MovementsQuery,
)
from app.materials.services import KEEPERS, READERS

blp = Blueprint("materials_api", __name__, url_prefix="", description="Materials, stock levels and movements")
WRITE_ERRORS = {401: "Not signed in", 403: "Not this branch's storekeeper (or an admin)",
                404: "No such branch, material or technician",
                409: "rule_broken: too little in stock, a closed month, another branch's material or van",
                422: "Invalid input"}



def may_read(actor, branch_id):
    """:raise Forbidden: a storekeeper asking for another branch."""
    if actor.role == "storekeeper" and branch_id != actor.branch_id:
        raise Forbidden("库管员只能查看本分公司的库存。")


@blp.get("/materials")
@roles_required(*READERS)
@blp.arguments(CatalogueQuery, location="query")
@blp.response(200, MaterialOut(many=True))
def materials(query):
    """The catalogue by code: with `branch_id`, what that branch stocks (every branch's and its own)."""
    return queries.catalogue(query["branch_id"], query["include_inactive"])


@blp.post("/materials")
@roles_required(*KEEPERS)
@blp.arguments(MaterialIn)
@blp.response(201, MaterialOut)
@blp.errors(WRITE_ERRORS)
def create_material(data):
    """A new material; a storekeeper's is their own branch's."""
    material = catalogue.save(current_user, data)
    db.session.commit()
    return material


@blp.put("/materials/<int:material_id>")
@roles_required(*KEEPERS)
@blp.arguments(MaterialIn)
@blp.response(200, MaterialOut)
@blp.errors(WRITE_ERRORS)
def update_material(data, material_id):
    material = db.session.get(Material, material_id)
    if material is None:
        raise NotFound("没有这种材料。")
    material = catalogue.save(current_user, data, material)
    db.session.commit()
    return material


@blp.get("/stock/levels")
@roles_required(*READERS, "technician")
@blp.arguments(LevelsQuery, location="query")
@blp.response(200, LevelOut(many=True))
@blp.alt_response(403, description="A storekeeper asking for another branch")
def levels(query):
    """On-hand figures: a technician's own van (whatever is asked), or a branch's store and vans."""
    statement = (db.select(StockLevel, StockLocation, Material)
                 .join(StockLocation, StockLocation.id == StockLevel.location_id)
                 .join(Material, Material.id == StockLevel.material_id)
                 .order_by(StockLocation.id, Material.code))
    if current_user.role == "technician":
        statement = statement.where(StockLocation.technician_id == current_user.id)
    else:
        branch_id = query["branch_id"] or (current_user.branch_id if current_user.role == "storekeeper" else None)
        may_read(current_user, branch_id)
        if branch_id is not None:
            statement = statement.where(StockLocation.branch_id == branch_id)
        if query["technician_id"] is not None:
            statement = statement.where(StockLocation.technician_id == query["technician_id"])
    return [_level(level, location, material) for level, location, material in db.session.execute(statement)]


def _level(level, location, material):
    return {"location_id": location.id, "place": location.kind, "branch_id": location.branch_id,
            "technician_id": location.technician_id, "material_id": material.id, "code": material.code,
            "name": material.name, "unit": material.unit, "on_hand_centi": level.on_hand_centi,
            "min_stock_centi": material.min_stock_centi if location.kind == "store" else None}


@blp.get("/stock/movements")
@roles_required(*READERS, "technician")
@blp.arguments(MovementsQuery, location="query")
@blp.response(200, MovementOut(many=True))
@blp.alt_response(403, description="Another branch's (a storekeeper), another van's (a technician)")
def movements(query):
    """A branch's movements, newest first, 50 a page; a technician sees only their own van's."""
    location_id = None
    if current_user.role == "technician":
        if query["technician_id"] not in (None, current_user.id) or query["branch_id"] != current_user.branch_id:
            raise Forbidden("只能查看自己的随车库存。")
        location_id = queries.van_location_id(current_user) or 0
    else:
        may_read(current_user, query["branch_id"])
        if query["technician_id"] is not None:
            location_id = db.session.execute(db.select(StockLocation.id).filter_by(
                technician_id=query["technician_id"])).scalar() or 0
    rows, _more = queries.movements(query["branch_id"], location_id, query["material_id"], query["kind"],
                                    query["page"])
    return rows


@blp.post("/stock/movements")
@roles_required(*KEEPERS)
@blp.arguments(MovementIn)
@blp.response(201, MovementOut)
@blp.errors(WRITE_ERRORS)
def create_movement(data):
    """入库, 领料, 退料, 调拨 or 报损 (consumption comes from the phone's `material` command and from signed slips)."""
    movement = desk.desk_move(current_user, data)
    db.session.commit()
    return movement


@blp.post("/stock/counts")
@roles_required(*KEEPERS)
@blp.arguments(CountIn)
@blp.response(201, MovementOut)
@blp.alt_response(204, description="The count agrees with the books: nothing recorded")
@blp.errors(WRITE_ERRORS)
def create_count(data):
    """A stock count (盘点): the difference to the books is recorded as one adjustment."""
    movement = desk.desk_count(current_user, data)
    db.session.commit()
    if movement is None:
        return current_app.response_class(status=204)
    return movement
