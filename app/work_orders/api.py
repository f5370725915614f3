from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DISPATCH, roles_required
from app.auth.models import User
from app.dispatch import services as dispatch
from app.errors import RuleBroken, ValidationFailed
from app.extensions import db
from app.households import services as households
from app.households.models import Household
from app.visits import services as visits
from app.work_orders import queries, services
from app.work_orders.appointments import set_appointment
from app.work_orders.schemas import (
    AppointmentIn,
    AssignmentIn,
    TransitionIn,
    WorkOrderBriefOut,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderPageOut,
    WorkOrderQuery,
)

blp = Blueprint("work_orders_api", __name__, url_prefix="/work-orders", description="Work orders (工单)")
me_blp = Blueprint("my_jobs_api", __name__, url_prefix="/me", description="The technician's jobs")

ERRORS = {401: "Not signed in", 403: "Role may not do this", 404: "No such order (or not yours)",
          409: "Not allowed in the order's current state", 422: "Invalid input"}


def _document_errors(view):
    for status, description in ERRORS.items():
        view = blp.alt_response(status, description=description)(view)
    return view


@blp.get("")
@roles_required()
@blp.arguments(WorkOrderQuery, location="query")
@blp.response(200, WorkOrderPageOut)
def list_work_orders(query):
    """Open orders by nearest deadline; technicians see only their own."""
    return queries.page_of(queries.filtered(current_user, **query), query["page"], query["per_page"])


@blp.post("")
@roles_required(*DISPATCH)
@blp.arguments(WorkOrderIn)
@blp.response(201, WorkOrderOut)
@_document_errors
def create_work_order(data):
    """Open an order (a hotline call, or a 12345 transfer); dispatch it at once if a technician is named."""
    order = dispatch.take_call(current_user, _household_for(data), data)
    db.session.commit()
    return order


def _household_for(data):
    if data["household_id"] is not None:
        return households.get(data["household_id"])
    if data["account_number"]:
        household = db.session.execute(
            db.select(Household).filter_by(account_number=data["account_number"])
        ).scalar_one_or_none()
        if household:
            return household
        raise RuleBroken("没有这个户号。", {"account_number": ["没有这个户号"]})
    raise ValidationFailed("请指明热用户。", {"household_id": ["请填写 household_id 或 account_number"]})


@blp.get("/<int:order_id>")
@roles_required()
@blp.response(200, WorkOrderOut)
@_document_errors
def get_work_order(order_id):
    return services.get_visible(current_user, order_id)


@blp.post("/<int:order_id>/transitions")
@roles_required()
@blp.arguments(TransitionIn)
@blp.response(200, WorkOrderOut)
@_document_errors
def transition(data, order_id):
    """accept · contact · tell · depart · arrive · complete · call_back · close · cancel (reason) · answer (note)."""
    order = services.get_visible(current_user, order_id, lock=True)
    action = data["action"]
    if action == "cancel":
        services.cancel(order, current_user, data["reason"])
    elif action == "answer":
        services.answer_on_first_contact(order, current_user, data["note"])
    else:
        visits.advance(order, current_user, action, device_time=data["device_time"], note=data["note"])
    db.session.commit()
    return order


@blp.put("/<int:order_id>/assignment")
@roles_required(*DISPATCH)
@blp.arguments(AssignmentIn)
@blp.response(200, WorkOrderOut)
@_document_errors
def assign(data, order_id):
    """Dispatch to a technician, or reassign (history is kept)."""
    order = services.get_visible(current_user, order_id, lock=True)
    dispatch.dispatch(order, current_user, db.session.get(User, data["technician_id"]))
    db.session.commit()
    return order


@blp.put("/<int:order_id>/appointment")
@roles_required("dispatcher", "admin", "technician")
@blp.arguments(AppointmentIn)
@blp.response(200, WorkOrderOut)
@_document_errors
def appoint(data, order_id):
    """Set the appointment, or move it (once). Night slots need customer_asked_night."""
    order = services.get_visible(current_user, order_id, lock=True)
    set_appointment(order, current_user, data["appointment_at"], data["customer_asked_night"])
    db.session.commit()
    return order


@me_blp.get("/jobs")
@roles_required("technician")
@me_blp.response(200, WorkOrderBriefOut(many=True))
def my_jobs():
    """The signed-in technician's open jobs, nearest deadline first."""
    return queries.my_jobs(current_user)
