from marshmallow import Schema, fields

from app.api import Blueprint
from app.auth.access import DISPATCH, roles_required
from app.dispatch import services
from app.households import services as households
from app.schemas import TextId
from app.work_orders.schemas import NamedOut, TechnicianOut

blp = Blueprint("dispatch_api", __name__, url_prefix="/dispatch", description="Routing by address")


class ProposalQuery(Schema):
    household_id = TextId(required=True)


class CandidateOut(Schema):
    technician = fields.Nested(TechnicianOut)
    open_load = fields.Int()
    in_area = fields.Bool()


class ProposalOut(Schema):
    branch = fields.Nested(NamedOut)
    area = fields.Nested(NamedOut)
    proposed = fields.Nested(TechnicianOut, allow_none=True)
    candidates = fields.Nested(CandidateOut, many=True)


@blp.get("/proposal")
@roles_required(*DISPATCH)
@blp.arguments(ProposalQuery, location="query")
@blp.response(200, ProposalOut)
def proposal(query):
    """The household's area gives the branch; the area's least-loaded technician is proposed."""
    area = households.get(query["household_id"]).area
    ranked = services.candidates(area)
    return {
        "branch": area.branch,
        "area": area,
        "proposed": ranked[0]["technician"] if ranked else None,
        "candidates": ranked,
    }
