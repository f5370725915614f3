"""Staff through the API (admin): who signs in, as what, where — for an HR system kept in step."""
from flask_login import current_user
from marshmallow import Schema, fields

from app.api import Blueprint
from app.auth.access import roles_required
from app.auth.models import ROLES
from app.extensions import db
from app.schemas import TextId, one_of
from app.staff import services
from app.staff.schemas import StaffIn, StaffOut

blp = Blueprint("staff_api", __name__, url_prefix="/users", description="Staff (人员), for admins")
ERRORS = {401: "Not signed in", 403: "Only an admin", 404: "No such user",
          409: "rule_broken: a username or badge taken, a technician routing could not reach, the last admin",
          422: "Invalid input"}



class StaffQuery(Schema):
    role = fields.Str(load_default=None, validate=one_of(ROLES))
    branch_id = TextId(load_default=None)
    inactive = fields.Bool(load_default=False, metadata={"description": "the deactivated instead"})


class CreatedOut(Schema):
    user = fields.Nested(StaffOut)
    first_password = fields.Str(metadata={"description": "shown once; replaced by the user at first sign-in"})


@blp.get("")
@roles_required("admin")
@blp.arguments(StaffQuery, location="query")
@blp.response(200, StaffOut(many=True))
def listing(query):
    return services.listing(query["role"], query["branch_id"], active=not query["inactive"])


@blp.post("")
@roles_required("admin")
@blp.arguments(StaffIn)
@blp.response(201, CreatedOut)
@blp.errors(ERRORS)
def create(data):
    user, password = services.create(current_user, data)
    db.session.commit()
    return {"user": user, "first_password": password}


@blp.put("/<int:user_id>")
@roles_required("admin")
@blp.arguments(StaffIn)
@blp.response(200, StaffOut)
@blp.errors(ERRORS)
def update(data, user_id):
    """Name, phone, role, branch, areas and badge; in force on the user's next request."""
    user = services.update(current_user, services.get(user_id), data)
    db.session.commit()
    return user
