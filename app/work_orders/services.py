"""The work order's rules: opening one, who may see it, and its state machine."""
from dataclasses import dataclass

from app.audit.services import record
from app.clocks import seasons
from app.clocks import services as clocks
from app.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from app.extensions import db
from app.localtime import now_utc, to_local
from app.locks import lock_row
from app.numbering import next_value
from app.work_orders.models import StatusChange, WorkOrder
from app.work_orders.queries import details
from app.work_orders.vocabulary import (
    ACTIONS,
    CATEGORIES,
    CHANNELS,
    OPEN_STATUSES,
    REOPENABLE_STATUSES,
    STATUSES,
)


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str | None  # None: the status stays, only the stamp is set
    roles: tuple
    stamp: str


TRANSITIONS = {
    "accept": Transition(("dispatched",), "accepted", ("technician",), "accepted_at"),
    "contact": Transition(
        ("dispatched", "accepted", "on_the_way"), None, ("technician", "dispatcher", "admin"), "contacted_at"
    ),
    # 已告知客户: the technician, not yet on his way, called to say he may be late (app/clocks/seasons.py).
    "tell": Transition(("dispatched", "accepted", "on_the_way"), None, ("technician", "dispatcher", "admin"),
                       "customer_told_at"),
    "depart": Transition(("accepted",), "on_the_way", ("technician",), "departed_at"),
    "arrive": Transition(("on_the_way",), "on_site", ("technician",), "arrived_at"),
    "complete": Transition(("on_site",), "done", ("technician",), "done_at"),
    "call_back": Transition(("done",), "called_back", ("back_office", "admin"), "called_back_at"),
    "close": Transition(("called_back",), "closed", ("back_office", "admin"), "closed_at"),
}

DESK_ROLES = ("dispatcher", "admin")
# A refusal that only says the same thing was recorded before (not that anything was lost).
ALREADY_RECORDED = "already_recorded"
# What a reopened order forgets: it starts its life again from 待派单 (the history keeps the first round).
RESTARTED_STAMPS = ("dispatched_at", "accepted_at", "contacted_at", "departed_at", "arrived_at", "done_at",
                    "called_back_at", "closed_at", "appointment_at")


def get_visible(actor, order_id, lock=False, loads=None):
    """`lock`: the order is about to change (lock 2 of app/locks.py: commands on one order take turns), read
    with `loads` (loader options; by default its details) in the same statement.

    :raise NotFound: when the order does not exist or is not the actor's to see."""
    order = lock_row(WorkOrder, order_id, *(loads or details())) if lock else db.session.get(WorkOrder, order_id)
    if order is None or not can_see(actor, order):
        raise NotFound("找不到该工单。")
    return order


def can_see(actor, order):
    if actor.role == "technician":
        return order.technician_id == actor.id
    return actor.role in ("dispatcher", "admin", "back_office")


def require_role(actor, roles, doing):
    if actor.role not in roles:
        raise Forbidden(f"{actor.role_label}不能{doing}。")


def open_work_order(actor, household, channel, category, description, number_day=None):
    """`number_day`: the day whose count the number takes (GD + yymmdd + nnnn), when the order was taken
    before it is entered (the demo's history); by default today, in the company's zone."""
    require_role(actor, DESK_ROLES, "受理工单")
    _validate_new(channel, category, description)
    opened_at = now_utc()
    policy = clocks.policy_for(category)
    order = WorkOrder(
        number=_new_number(number_day or to_local(opened_at).date()),
        channel=channel,
        category=category,
        description=description.strip(),
        status="new",
        household_id=household.id,
        branch_id=household.area.branch_id,
        area_id=household.area.id,
        received_by_id=actor.id,
        created_at=opened_at,
        **clocks.deadlines(policy, opened_at),
    )
    db.session.add(order)
    refresh_next_due(order)
    db.session.flush()
    add_history(order, "open", None, actor, at=opened_at)
    record(actor, "work_order", order.id, "open", number=order.number, category=category)
    return order


def _validate_new(channel, category, description):
    fields = {}
    if channel not in CHANNELS:
        fields["channel"] = ["请选择受理渠道"]
    if category not in CATEGORIES:
        fields["category"] = ["请选择工单类别"]
    if not (description or "").strip():
        fields["description"] = ["请填写故障描述"]
    if fields:
        raise ValidationFailed("工单信息不完整。", fields)


def _new_number(day):
    day = day.strftime("%y%m%d")
    return f"GD{day}{next_value('work_order:' + day):04d}"


def refresh_next_due(order):
    order.next_due_at = clocks.next_due(order)


def add_history(order, action, from_status, actor, at=None, device_time=None, note=None):
    change = StatusChange(
        work_order=order,
        action=action,
        from_status=from_status,
        to_status=order.status,
        actor_id=actor.id if actor else None,
        at=at or now_utc(),
        device_time=device_time,
        note=note,
        technician_id=order.technician_id,
    )
    db.session.add(change)
    return change


def occurred_at(order, device_time):
    """When a step happened: the phone's clock if it is plausible, else the server's."""
    now = now_utc()
    if device_time is None:
        return now
    return min(max(device_time, order.created_at), now)


def check_allowed(order, action, actor):
    """:raise NotFound: not the technician's order. :raise Forbidden: the role may not.
    :raise InvalidTransition: not from the order's state, or already recorded."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationFailed("没有这个操作。", {"action": ["未知操作"]})
    if actor.role == "technician" and order.technician_id != actor.id:
        raise NotFound("找不到该工单。")
    require_role(actor, transition.roles, ACTIONS[action])
    if getattr(order, transition.stamp) is not None:
        # The same action again (a second tab, a second phone): nothing was lost, the phone settles it quietly.
        raise InvalidTransition(f"已记录过“{ACTIONS[action]}”。", code=ALREADY_RECORDED)
    _check_source(order, action, transition.sources)
    return transition


def perform(order, action, actor, device_time=None, note=None):
    transition = check_allowed(order, action, actor)
    at = occurred_at(order, device_time)
    setattr(order, transition.stamp, at)
    if action == "arrive" and order.contacted_at is None:
        order.contacted_at = at  # standing at the door is contact
    from_status = order.status
    if transition.target:
        order.status = transition.target
    refresh_next_due(order)
    add_history(order, action, from_status, actor, at=at, device_time=device_time, note=note)
    record(actor, "work_order", order.id, action, status=order.status)
    db.session.flush()
    return order


def _check_source(order, action, sources):
    if order.status not in sources:
        raise InvalidTransition(f"工单当前为“{STATUSES[order.status]}”,不能{ACTIONS[action]}。")


def cancel(order, actor, reason):
    require_role(actor, DESK_ROLES, "取消工单")
    if not (reason or "").strip():
        raise ValidationFailed("取消工单须填写原因。", {"reason": ["请填写取消原因"]})
    _check_source(order, "cancel", OPEN_STATUSES)
    from_status = order.status
    order.status = "cancelled"
    order.cancelled_at = now_utc()
    order.cancel_reason = reason.strip()
    refresh_next_due(order)
    add_history(order, "cancel", from_status, actor, at=order.cancelled_at, note=order.cancel_reason)
    record(actor, "work_order", order.id, "cancel", reason=order.cancel_reason)
    db.session.flush()
    return order


def reopen(order, actor, note):
    """The callback found the problem not solved: back to dispatch, with new clocks from now.

    The technician is cleared (the order is 待派单 like any new one); the history entry names who
    did the first round, and the dispatcher may send the same technician again or another.
    """
    require_role(actor, ("back_office", "admin"), "重新派单")
    if order.status not in REOPENABLE_STATUSES:
        raise InvalidTransition(f"工单当前为“{STATUSES[order.status]}”,不能重新派单。")
    at = now_utc()
    from_status, previous = order.status, order.technician
    order.status = "new"
    who = f"(原维修师傅:{previous.name})" if previous else ""
    add_history(order, "reopen", from_status, actor, at=at, note=f"{note.strip()}{who}")
    for stamp in RESTARTED_STAMPS:
        setattr(order, stamp, None)
    order.appointment_moves, order.appointment_night_requested = 0, False
    order.technician_id, order.technician = None, None
    for name, due_at in clocks.deadlines(clocks.policy_for(order.category), at).items():
        setattr(order, name, due_at)
    refresh_next_due(order)
    record(actor, "work_order", order.id, "reopen", previous_technician_id=previous.id if previous else None)
    db.session.flush()
    return order


def answer_on_first_contact(order, actor, answer):
    """A consultation is answered on the call and closed; nobody visits."""
    require_role(actor, DESK_ROLES, "当场答复")
    if order.category != "consultation":
        raise InvalidTransition("只有咨询类工单可以当场答复关闭。")
    if not (answer or "").strip():
        raise ValidationFailed("请填写答复内容。", {"answer": ["请填写答复内容"]})
    _check_source(order, "answer", ("new",))
    order.status = "closed"
    order.closed_at = order.done_at = now_utc()
    refresh_next_due(order)
    add_history(order, "answer", "new", actor, at=order.closed_at, note=answer.strip())
    record(actor, "work_order", order.id, "answer")
    db.session.flush()
    return order


def available_actions(order, actor):
    """The transitions this actor could take now; the screens offer exactly these."""
    actions = [
        action
        for action, t in TRANSITIONS.items()
        if actor.role in t.roles
        and order.status in t.sources
        and getattr(order, t.stamp) is None
        and (actor.role != "technician" or order.technician_id == actor.id)
    ]
    if "tell" in actions and seasons.late_risk(order) != "at_risk":
        actions.remove("tell")  # offered when the appointment is at risk; taken whenever it is sent
    if actor.role in DESK_ROLES and order.status in OPEN_STATUSES:
        actions.append("cancel")
        if order.category == "consultation" and order.status == "new":
            actions.append("answer")
    return actions
