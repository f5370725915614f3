from flask import current_app, jsonify
from flask_login import current_user
from sqlalchemy import select

from app.api import Blueprint
from app.auth.access import roles_required
from app.commands import services
from app.commands.schemas import BatchIn, BatchOut, CommandIn, CommandOut
from app.errors import DomainError, error_body
from app.extensions import db
from app.field.services import attach_visits, job_loads
from app.service_slips import printing
from app.service_slips.services import current_slip
from app.work_orders.models import WorkOrder
from app.work_orders.services import can_see

COMMAND_OUT = CommandOut()  # made once: a schema's nested fields are copied on every instantiation
blp = Blueprint("commands_api", __name__, url_prefix="/commands", description="The phone's outbox, applied once")


def answer(command, replayed, order=None, with_order=True):
    """(body, status): the first answer again for a replay: applied → the order as it is now, if the sender
    may still see it (a reassigned order answers `work_order: null`, like a fresh read would refuse it), or
    no order at all when not asked for; refused → the same error. `order`: the one the command has just
    changed, locked and read with field.services.job_loads."""
    if command.outcome == "refused":
        return command.error, command.http_status
    if not with_order:
        order = None
    elif order is None:  # a replay: the order read as a command reads it
        order = db.session.execute(select(WorkOrder).where(WorkOrder.id == command.work_order_id)
                                   .options(*job_loads())).unique().scalar_one_or_none()
    if order is not None and not can_see(current_user, order):
        order = None
    elif order is not None:
        attach_visits([order])
    return COMMAND_OUT.dump({"client_uuid": command.client_uuid, "status": command.outcome, "replayed": replayed,
                             "work_order": order}), 200


def run_once(actor, values, apply):
    """services.run_once in this request's transaction; a refusal rolled back, then kept as refused (its own
    transaction). (command, replayed)

    :raise Conflict: uuid_taken, with nothing changed.
    """
    try:
        return services.run_once(actor, values, apply)
    except services.Refused as refused:
        db.session.rollback()
        return services.keep_refused(actor, values, refused)


def apply_one(data, with_order=True):
    """One outbox item, claimed, applied once and committed: (body, status, replayed), as POST /commands
    answers it.

    :raise Conflict: uuid_taken (another user's uuid), with nothing changed.
    """
    changed = []
    values = services.claim_values(current_user, str(data["client_uuid"]), data["type"], data["work_order_id"],
                                   data["payload"], data["device_time"])
    command, replayed = run_once(
        current_user, values,
        lambda: changed.append(services.execute(current_user, data["type"], data["work_order_id"],
                                                data["payload"], data["device_time"])),
    )
    # The answer is the order as this transaction leaves it: built before the commit, it needs no second
    # transaction and no re-reading of the order, the command and the user (round trips, on PostgreSQL).
    applied_now = command.outcome == "applied" and not replayed
    body, status = answer(command, replayed, changed[0] if changed and applied_now else None, with_order)
    signed = data["type"] == "sign_slip" and applied_now
    order_id = command.work_order_id
    db.session.commit()
    if signed:
        render_signed_slip(order_id)
    return body, status, replayed


@blp.post("")
@roles_required("technician")
@blp.arguments(CommandIn)
@blp.response(200, CommandOut)
@blp.alt_response(404, description="Not (or no longer) the technician's order; kept as refused")
@blp.alt_response(409, description="Against a rule (order state, step order, photos missing); kept as refused")
@blp.alt_response(422, description="Invalid payload; kept as refused")
def post_command(data):
    """Apply one outbox item. Replaying a client_uuid returns the first answer and changes nothing."""
    body, status, _replayed = apply_one(data)
    return jsonify(body), status


@blp.post("/batch")
@roles_required("technician")
@blp.arguments(BatchIn)
@blp.response(200, BatchOut)
def post_batch(data):
    """Apply a run of outbox items in their order, each exactly as POST /commands would: its own claim, its own
    transaction (one order locked at a time), its own answer, refused or applied, so one refusal stops nothing
    after it. An order travels back once, on the last item that names it: the phone would replace the earlier
    ones at once. A failure part-way (no answer) loses nothing: sent again, what was applied is replayed."""
    items = data["commands"]
    last = {item["work_order_id"]: index for index, item in enumerate(items)}
    results = []
    for index, item in enumerate(items):
        try:
            body, status, replayed = apply_one(item, with_order=last[item["work_order_id"]] == index)
        except DomainError as error:  # a uuid of someone else's: that item only, nothing of it kept
            db.session.rollback()
            body, status, replayed = error_body(error.code, error.message, error.fields), error.status, False
        if status == 200:
            results.append({**body, "http_status": status})
        else:
            results.append({"client_uuid": str(item["client_uuid"]), "status": "refused", "replayed": replayed,
                            "http_status": status, "error": body, "work_order": None})
    return jsonify({"results": results})


def render_signed_slip(order_id):
    """With a queue, the new slip's PDFs are rendered ahead of the first download. A queue that does not answer
    costs the signing nothing: the download asks again."""
    slip = current_slip(order_id)
    try:
        printing.render_later(slip)
    except Exception:  # noqa: BLE001 - the slip is kept; only its early rendering is lost
        current_app.logger.exception("could not queue the PDF of slip %s", slip.serial)
