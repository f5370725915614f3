"""Appointments (预约): agreed with the customer, moved at most once, no night visits unasked."""
from app.audit.services import record
from app.clocks import services as clocks
from app.errors import Conflict, InvalidTransition, RuleBroken, ValidationFailed
from app.extensions import db
from app.localtime import now_utc, to_local
from app.work_orders.services import (
    add_history,
    get_visible,
    refresh_next_due,
    require_role,
)

BOOKABLE_STATUSES = ("new", "dispatched", "accepted", "on_the_way")
NIGHT_STARTS, NIGHT_ENDS = 20, 8  # 20:00–08:00 local time (003 9)
MAX_MOVES = 1  # 003 入户服务规范 2


def is_night(moment):
    hour = to_local(moment).hour
    return hour >= NIGHT_STARTS or hour < NIGHT_ENDS


def set_appointment(order, actor, at, customer_asked_night=False):
    require_role(actor, ("dispatcher", "admin", "technician"), "预约")
    if actor.role == "technician":
        get_visible(actor, order.id)
    if order.status not in BOOKABLE_STATUSES:
        raise InvalidTransition("师傅已到场或工单已结束,不能再预约。")
    _validate_time(at, customer_asked_night)
    if order.appointment_at == at:
        return order
    action = "appoint" if order.appointment_at is None else "reschedule"
    if action == "reschedule":
        if order.appointment_moves >= MAX_MOVES:
            raise Conflict("预约已改过一次,不能再改。", code="appointment_move_limit")
        order.appointment_moves += 1
    previous = order.appointment_at
    order.appointment_at = at
    order.appointment_night_requested = is_night(at)
    clocks.follow_appointment(order, clocks.policy_for(order.category))
    refresh_next_due(order)
    add_history(order, action, order.status, actor, note=appointment_note(previous, at))
    record(actor, "work_order", order.id, action, appointment_at=at, previous=previous)
    db.session.flush()
    return order


def _validate_time(at, customer_asked_night):
    if at is None:
        raise ValidationFailed("请选择预约时间。", {"appointment_at": ["请选择预约时间"]})
    if at <= now_utc():
        raise RuleBroken("预约时间须晚于现在。", {"appointment_at": ["预约时间须晚于现在"]})
    if is_night(at) and not customer_asked_night:
        raise RuleBroken(
            "20:00–08:00 为夜间,仅在客户要求时预约;请勾选“客户要求夜间上门”。",
            {"customer_asked_night": ["夜间预约须客户要求"]},
        )


def appointment_note(previous, at):
    fmt = "%Y-%m-%d %H:%M"
    if previous is None:
        return f"预约 {to_local(at).strftime(fmt)}"
    return f"由 {to_local(previous).strftime(fmt)} 改约至 {to_local(at).strftime(fmt)}"
