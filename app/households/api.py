from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, DISPATCH, roles_required
from app.branches.models import Estate
from app.extensions import db
from app.households import services
from app.households.schemas import EstateOut, HouseholdIn, HouseholdOut, HouseholdQuery

blp = Blueprint("households_api", __name__, url_prefix="/households", description="Households (热用户)")


@blp.get("")
@roles_required(*DESK)
@blp.arguments(HouseholdQuery, location="query")
@blp.response(200, HouseholdOut(many=True))
def search(query):
    """Type-ahead: 户号, phone, or address such as “幸福里 3 2 501”."""
    return services.search(query["q"])


@blp.post("")
@roles_required(*DISPATCH)
@blp.arguments(HouseholdIn)
@blp.response(201, HouseholdOut)
@blp.alt_response(422, description="Invalid input, or the account number exists")
def create(data):
    household = services.create(current_user, data)
    db.session.commit()
    return household


@blp.get("/<int:household_id>")
@roles_required(*DESK)
@blp.response(200, HouseholdOut)
def detail(household_id):
    return services.get(household_id)


@blp.get("/estates")
@roles_required(*DESK)
@blp.response(200, EstateOut(many=True))
def estates():
    return db.session.execute(db.select(Estate).order_by(Estate.name)).scalars().all()
