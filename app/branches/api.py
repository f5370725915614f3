"""The organisation through the API: what a billing or HR system reads and keeps in step — admins write,
every desk role reads."""
from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, roles_required
from app.branches import services
from app.branches.models import Area, Branch, Estate
from app.branches.schemas import (
    AreaIn,
    AreaRecordOut,
    BranchIn,
    BranchRecordOut,
    EstateIn,
    EstateRecordOut,
    ListQuery,
    NameIn,
    TechniciansIn,
)
from app.extensions import db

blp = Blueprint("organisation_api", __name__, url_prefix="", description="Branches, areas and estates")
WRITE_ERRORS = {401: "Not signed in", 403: "Only an admin changes the organisation",
                404: "No such branch, area or estate", 409: "rule_broken: a name or code taken, an inactive parent",
                422: "Invalid input"}



def _listed(model, query, order):
    statement = db.select(model).order_by(*order)
    if not query["include_inactive"]:
        statement = statement.where(model.active.is_(True))
    return statement


@blp.get("/branches")
@roles_required(*DESK)
@blp.arguments(ListQuery, location="query")
@blp.response(200, BranchRecordOut(many=True))
def branches(query):
    return db.session.execute(_listed(Branch, query, (Branch.code,))).scalars().all()


@blp.post("/branches")
@roles_required("admin")
@blp.arguments(BranchIn)
@blp.response(201, BranchRecordOut)
@blp.errors(WRITE_ERRORS)
def create_branch(data):
    branch = services.save_branch(current_user, data)
    db.session.commit()
    return branch


@blp.put("/branches/<int:branch_id>")
@roles_required("admin")
@blp.arguments(BranchIn)
@blp.response(200, BranchRecordOut)
@blp.errors(WRITE_ERRORS)
def update_branch(data, branch_id):
    branch = services.save_branch(current_user, data, services.get(Branch, branch_id))
    db.session.commit()
    return branch


@blp.get("/areas")
@roles_required(*DESK)
@blp.arguments(ListQuery, location="query")
@blp.response(200, AreaRecordOut(many=True))
def areas(query):
    statement = _listed(Area, query, (Area.name,))
    if query["branch_id"]:
        statement = statement.where(Area.branch_id == query["branch_id"])
    return db.session.execute(statement).scalars().all()


@blp.post("/areas")
@roles_required("admin")
@blp.arguments(AreaIn)
@blp.response(201, AreaRecordOut)
@blp.errors(WRITE_ERRORS)
def create_area(data):
    area = services.save_area(current_user, services.get(Branch, data["branch_id"]), data["name"])
    db.session.commit()
    return area


@blp.put("/areas/<int:area_id>")
@roles_required("admin")
@blp.arguments(NameIn)
@blp.response(200, AreaRecordOut)
@blp.errors(WRITE_ERRORS)
def rename_area(data, area_id):
    area = services.get(Area, area_id)
    services.save_area(current_user, area.branch, data["name"], area)
    db.session.commit()
    return area


@blp.put("/areas/<int:area_id>/technicians")
@roles_required("admin")
@blp.arguments(TechniciansIn)
@blp.response(200, AreaRecordOut)
@blp.errors(WRITE_ERRORS)
def area_technicians(data, area_id):
    """Who serves the area (routing proposes them first): the branch's active technicians only."""
    area = services.set_area_technicians(current_user, services.get(Area, area_id), data["technician_ids"])
    db.session.commit()
    return area


@blp.get("/estates")
@roles_required(*DESK)
@blp.arguments(ListQuery, location="query")
@blp.response(200, EstateRecordOut(many=True))
def estates(query):
    statement = _listed(Estate, query, (Estate.name,))
    if query["area_id"]:
        statement = statement.where(Estate.area_id == query["area_id"])
    return db.session.execute(statement).scalars().all()


@blp.post("/estates")
@roles_required("admin")
@blp.arguments(EstateIn)
@blp.response(201, EstateRecordOut)
@blp.errors(WRITE_ERRORS)
def create_estate(data):
    estate = services.save_estate(current_user, services.get(Area, data["area_id"]), data["name"])
    db.session.commit()
    return estate


@blp.put("/estates/<int:estate_id>")
@roles_required("admin")
@blp.arguments(EstateIn)
@blp.response(200, EstateRecordOut)
@blp.errors(WRITE_ERRORS)
def update_estate(data, estate_id):
    """Rename, and move to another area: new orders route by it, open ones keep theirs."""
    estate = services.get(Estate, estate_id)
    services.save_estate(current_user, estate.area, data["name"], estate)
    if data["area_id"] != estate.area_id:
        services.move_estate(current_user, estate, services.get(Area, data["area_id"]))
    db.session.commit()
    return estate
