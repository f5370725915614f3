"""Commands from the phone, applied exactly once.

The command row is inserted first: its unique client_uuid claims the command before anything is
applied, so a replay (or the same command from a second tab, at the same moment) finds the claim and
gets the first answer. A refused command is kept, with its answer, for the desk to see: the refusal's
transaction is rolled back (by the view) and the claim made again, marked refused (keep_refused).
"""
import functools

from marshmallow import ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from app.commands.models import Command
from app.commands.schemas import load_payload
from app.database import upsert_insert
from app.errors import Conflict, DomainError, ValidationFailed, error_body
from app.extensions import db
from app.field.services import job_loads
from app.localtime import now_utc
from app.materials import consumption
from app.service_slips import services as slips
from app.visits import services as visits
from app.work_orders import services as work_orders
from app.work_orders.models import WorkOrder


def find(client_uuid):
    return db.session.execute(db.select(Command).filter_by(client_uuid=client_uuid)).scalar_one_or_none()


def _claim(values):
    """The command's row, inserted unless its client_uuid is already there: one statement (a second request
    with the same uuid waits on the unique index for the first to commit, then inserts nothing). None when
    the uuid was taken. The row is written as a table row (the ORM's path for an entity insert costs ~0.3 ms
    a command) and answered as a Command not kept in the session: nothing changes it after its claim."""
    row = db.session.connection().execute(_claiming(db.session.get_bind().dialect.name, "error" in values),
                                          values).first()
    if row is None:
        return None
    command = Command(**values)
    command.id, command.work_order_id = row
    return command


@functools.cache
def _claiming(dialect_name, refused):
    """_claim's statement, made once per dialect (every phone command runs it); its order id a subquery. A
    refused claim carries its answer (`error`); an applied one leaves it NULL."""
    table = Command.__table__
    columns = ("client_uuid", "user_id", "type", "payload", "device_time", "received_at", "outcome", "http_status")
    columns += ("error",) if refused else ()
    statement = upsert_insert(dialect_name)(table).values(
        **{name: bindparam(name, type_=table.c[name].type) for name in columns},
        work_order_id=select(WorkOrder.__table__.c.id).where(WorkOrder.__table__.c.id == bindparam("work_order_id")
                                                              ).scalar_subquery())
    return statement.on_conflict_do_nothing(index_elements=[table.c.client_uuid]).returning(table.c.id,
                                                                                            table.c.work_order_id)


class Refused(Exception):
    """A command applied and refused: the view rolls its transaction back and keeps the refusal (keep_refused)."""

    def __init__(self, status, body):
        super().__init__(body["message"])
        self.status, self.body = status, body


def _own(command, actor):
    """A uuid belongs to whoever sent it first: anyone else learns nothing of that command.

    :raise Conflict: uuid_taken.
    """
    if command.user_id != actor.id:
        raise Conflict("该记录编号已被使用,请重新生成后再发送。", code="uuid_taken")
    return command


def claim_values(actor, client_uuid, type_, work_order_id, payload, device_time):
    """What a command's row is made of, applied until refused."""
    return dict(client_uuid=client_uuid, user_id=actor.id, work_order_id=work_order_id, type=type_,
                payload=payload, device_time=device_time, received_at=now_utc(), outcome="applied", http_status=200)


def run_once(actor, values, apply):
    """Claim the uuid and apply, in the view's transaction. Returns (command, replayed).

    No savepoint (two round trips on every command): a refusal is raised, the view rolls back and the
    refusal is kept by keep_refused in a transaction of its own.

    :raise Conflict: uuid_taken, with nothing changed.
    :raise Refused: apply refused it, or it recorded what another command recorded at the same moment.
    """
    command = _claim(values)
    if command is None:
        # claimed before, or by another request at this moment: answer as it was answered (if it was this user's)
        return _own(find(values["client_uuid"]), actor), True
    try:
        apply()
        db.session.flush()
    except DomainError as error:
        raise Refused(error.status, error_body(error.code, error.message, error.fields)) from error
    except IntegrityError as error:
        # Two different commands recorded the same thing at once (e.g. a step from two tabs).
        raise Refused(409, error_body("conflict", "该记录已存在。")) from error
    return command, False


def keep_refused(actor, values, refused):
    """After the rollback of a refused command: its claim again, marked refused with the answer. Should a
    request with the same uuid have claimed it in between, that claim answers for both. (command, replayed)

    :raise Conflict: uuid_taken.
    """
    command = _claim({**values, "outcome": "refused", "http_status": refused.status, "error": refused.body})
    if command is None:
        return _own(find(values["client_uuid"]), actor), True
    return command, False


def execute(actor, type_, work_order_id, payload, device_time):
    """Apply one command to its order. Every refusal is a DomainError, so it is kept and answered."""
    order = work_orders.get_visible(actor, work_order_id, lock=True, loads=job_loads())
    try:
        p = load_payload(type_, payload)
    except ValidationError as error:
        raise ValidationFailed("记录内容有误。", error.messages) from error
    if type_ == "transition":
        visits.advance(order, actor, p["action"], device_time, p["note"])
    elif type_ == "step":
        visits.record_step(order, actor, p["step"], p["outcome"], p["reason"], p["note"], device_time)
    elif type_ == "note":
        visits.add_note(order, actor, p["text"], p["step"], device_time)
    elif type_ == "reading":
        visits.add_reading(order, actor, p["room"], p["celsius"], device_time)
    elif type_ == "repair":
        visits.record_repair(order, actor, p["fault_location"], p["resolution"], p["diagnosis"], p["result"],
                             device_time)
    elif type_ == "damage":
        visits.record_damage(order, actor, p["description"], device_time)
    elif type_ == "material":
        consumption.record_used(order, actor, p["material_id"], p["quantity_centi"], device_time)
    elif type_ == "sign_slip":
        slips.sign(actor, order, p)
    else:  # CommandIn refuses other types; a new one must be handled here, not fall into another's branch
        raise ValidationFailed("未知的记录类型。", {"type": [f"未知类型 {type_}"]})
    return order


def refused_for(work_order_id):
    """What the server really did not take: a refusal that only says "already recorded" (a second tab)
    lost nothing and is not listed."""
    commands = db.session.execute(
        db.select(Command).filter_by(work_order_id=work_order_id, outcome="refused").order_by(Command.id)
    ).scalars().all()
    return [command for command in commands if (command.error or {}).get("error") != work_orders.ALREADY_RECORDED]
