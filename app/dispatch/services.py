"""Dispatch (派单): route an order by address to a branch and propose the least-loaded technician."""
from sqlalchemy import func

from app.audit.services import record
from app.auth.models import User
from app.branches.models import Area
from app.errors import Conflict, InvalidTransition, RuleBroken
from app.extensions import db
from app.localtime import now_utc
from app.work_orders.appointments import set_appointment
from app.work_orders.models import WorkOrder
from app.work_orders.services import add_history, open_work_order, refresh_next_due, require_role
from app.work_orders.vocabulary import LOAD_STATUSES, STATUSES

REASSIGNABLE = ("dispatched", "accepted", "on_the_way")


def open_loads(technician_ids):
    if not technician_ids:
        return {}
    rows = db.session.execute(
        db.select(WorkOrder.technician_id, func.count())
        .where(WorkOrder.technician_id.in_(technician_ids), WorkOrder.status.in_(LOAD_STATUSES))
        .group_by(WorkOrder.technician_id)
    )
    loads = dict.fromkeys(technician_ids, 0)
    loads.update(dict(rows.all()))
    return loads


def candidates(area: Area):
    """Technicians who could take an order in this area: the area's own first, then the branch's."""
    technicians = db.session.execute(
        db.select(User)
        .where(User.role == "technician", User.active.is_(True), User.branch_id == area.branch_id)
        .order_by(User.badge_number)
    ).scalars().all()
    loads = open_loads([t.id for t in technicians])
    in_area = {t.id for t in area.technicians}
    ranked = sorted(technicians, key=lambda t: (t.id not in in_area, loads[t.id], t.badge_number or ""))
    return [{"technician": t, "open_load": loads[t.id], "in_area": t.id in in_area} for t in ranked]


def propose(area: Area):
    """The area's technician with the lightest open load (ties: lowest badge number)."""
    ranked = candidates(area)
    return ranked[0]["technician"] if ranked else None


def dispatch(order, actor, technician):
    require_role(actor, ("dispatcher", "admin"), "派单")
    if technician is None or technician.role != "technician" or not technician.active:
        raise RuleBroken("请选择一位在岗的维修师傅。", {"technician_id": ["不是在岗的维修师傅"]})
    if order.status == "new":
        action = "dispatch"
    elif order.status in REASSIGNABLE:
        if order.technician_id == technician.id:
            raise Conflict("工单已派给这位师傅。", code="already_assigned")
        action = "reassign"
    else:
        raise InvalidTransition(f"工单当前为“{STATUSES[order.status]}”,不能派单。")
    previous = order.technician
    from_status = order.status
    order.technician_id = technician.id
    order.technician = technician
    order.status = "dispatched"
    order.dispatched_at = now_utc()
    order.accepted_at = order.departed_at = None  # the new technician starts afresh
    refresh_next_due(order)
    note = f"{previous.name} → {technician.name}" if previous else f"派给 {technician.name}"
    add_history(order, action, from_status, actor, at=order.dispatched_at, note=note)
    record(actor, "work_order", order.id, action, technician_id=technician.id,
           previous_technician_id=previous.id if previous else None)
    db.session.flush()
    return order


def take_call(actor, household, data):
    """A call becomes an order: opened, booked if a time was agreed, dispatched if a technician was chosen.

    `data` is a loaded `WorkOrderIn`; the desk's intake and the API share this one path.
    """
    order = open_work_order(actor, household, data["channel"], data["category"], data["description"])
    if data.get("appointment_at") is not None:
        set_appointment(order, actor, data["appointment_at"], data.get("customer_asked_night", False))
    if data.get("technician_id") is not None:
        dispatch(order, actor, db.session.get(User, data["technician_id"]))
    return order
