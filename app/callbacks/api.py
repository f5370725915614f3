from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, roles_required
from app.callbacks import queue, services
from app.callbacks.schemas import AnswerIn, AttemptIn, CallbackOut, CallbackPageOut, CallbackQuery
from app.extensions import db

blp = Blueprint("callbacks_api", __name__, url_prefix="/callbacks", description="Callbacks (回访)")

NOT_FOUND = "No such callback"
REFUSED = "Already answered (callback_answered), or the order cannot move from its state"


@blp.get("")
@roles_required(*DESK)
@blp.arguments(CallbackQuery, location="query")
@blp.response(200, CallbackPageOut)
def list_callbacks(query):
    """Pending callbacks by due time (`status=answered`: the latest answers first); `overdue=true`: past due only."""
    statement = queue.filtered(query["status"], query["branch_id"], query["overdue"])
    return queue.page_of(statement, query["page"], query["per_page"])


@blp.get("/<int:callback_id>")
@roles_required(*DESK)
@blp.response(200, CallbackOut)
@blp.alt_response(404, description=NOT_FOUND)
def get_callback(callback_id):
    return services.get(callback_id)


@blp.post("/<int:callback_id>/answer")
@roles_required(*services.BACK_OFFICE)
@blp.arguments(AnswerIn)
@blp.response(200, CallbackOut)
@blp.alt_response(404, description=NOT_FOUND)
@blp.alt_response(409, description=REFUSED)
def answer(data, callback_id):
    """The customer was reached. Solved → the order is called back (and closed if `close`); not solved → reopened."""
    callback = services.answer(services.get(callback_id, lock=True), current_user, **data)
    db.session.commit()
    return callback


@blp.post("/<int:callback_id>/attempts")
@roles_required(*services.BACK_OFFICE)
@blp.arguments(AttemptIn, required=False)  # every field has a default: no body is {}
@blp.response(201, CallbackOut)
@blp.alt_response(404, description=NOT_FOUND)
@blp.alt_response(409, description=REFUSED)
def not_reached(data, callback_id):
    """The customer was not reached: the attempt is kept with its retry time; the callback stays pending."""
    callback = services.get(callback_id, lock=True)
    services.not_reached(callback, current_user, data["note"], data["retry_at"])
    db.session.commit()
    return callback
