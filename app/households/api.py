from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, DISPATCH, roles_required
from app.branches.models import Estate
from app.extensions import db
from app.households import file, services
from app.households.schemas import (
    ContactIn,
    EstateOut,
    HouseholdFileOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdQuery,
    UpsertIn,
)

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
@blp.response(200, HouseholdFileOut)
def detail(household_id):
    """The household, with how often it called this week and its latest orders (一户一档 at a glance)."""
    household = services.get(household_id)
    household.calls_this_week = file.calls_since(household.id)
    household.recent_orders = file.orders(household)[:3]
    return household


@blp.get("/estates")
@roles_required(*DESK)
@blp.response(200, EstateOut(many=True))
def estates():
    return db.session.execute(db.select(Estate).order_by(Estate.name)).scalars().all()


@blp.put("/by-account/<account_number:account_number>")
@roles_required("admin")
@blp.arguments(UpsertIn)
@blp.response(200, HouseholdOut, description="Updated (or already so)")
@blp.alt_response(201, schema=HouseholdOut, description="Created")
@blp.alt_response(409, description="rule_broken: an unknown or inactive estate")
@blp.alt_response(422, description="Invalid input")
def upsert(data, account_number):
    """A billing system's nightly sync: the household with this 户号 as given, created if new (an upsert)."""
    household, created = services.upsert(current_user, account_number, data)
    db.session.commit()
    return household, 201 if created else 200


@blp.patch("/<int:household_id>")
@roles_required(*DISPATCH)
@blp.arguments(ContactIn)
@blp.response(200, HouseholdOut)
@blp.alt_response(422, description="Invalid input")
def correct_contact(data, household_id):
    """A dispatcher corrects the name or phone during a call; kept in the household's history."""
    household = services.get(household_id)
    services.update(current_user, household, data, services.CONTACT_FIELDS)
    db.session.commit()
    return household
