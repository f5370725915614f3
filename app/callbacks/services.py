"""The callback's rules: a task per completion, its answer by phone or by the customer's own rating.

Answered and solved → the order is called back (and closed at once when the back office says so);
not solved → the order reopens and goes back to dispatch. A rating from the slip's page answers
the callback only when the customer says the problem is solved; "not solved" from an anonymous
page flags the task for a call instead of reopening the order.
"""
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from app.audit.services import record
from app.callbacks import windows
from app.callbacks.models import ANSWERED, PENDING, Callback, CallbackAttempt
from app.clocks import services as clocks
from app.errors import Conflict, NotFound, RuleBroken, ValidationFailed
from app.extensions import db
from app.localtime import format_local, now_utc
from app.locks import lock_row
from app.service_slips.content import SATISFACTION
from app.service_slips.models import SIGNED, Slip
from app.work_orders.appointments import is_night
from app.work_orders.models import WorkOrder
from app.work_orders.services import add_history, perform, reopen, require_role

BACK_OFFICE = ("back_office", "admin")
MAX_TEXT = 500
RETRY_AFTER = timedelta(hours=1)  # when to try a customer not reached again, unless the clerk says


def get(callback_id, lock=False):
    """`lock`: for an answer; a second clerk answering the same callback waits, then finds it answered.
    Its work order is locked first, then the callback (locks 2 and 3 of app/locks.py)."""
    callback = db.session.get(Callback, callback_id)
    if callback is None:
        raise NotFound("找不到该回访任务。")
    if lock:
        lock_row(WorkOrder, callback.work_order_id)
        callback = lock_row(Callback, callback_id)
    return callback


def pending_for(order):
    return db.session.execute(
        db.select(Callback).filter_by(work_order_id=order.id, status=PENDING)
    ).scalar_one_or_none()


def rounds_of(order):
    return db.session.execute(
        db.select(Callback).filter_by(work_order_id=order.id).order_by(Callback.round)
    ).scalars().all()


def open_for(order):
    """The callback task of a completion, its window from the policy in force now; None if the category has none."""
    policy = clocks.policy_for(order.category)
    if not policy.callback_hours:
        return None
    existing = pending_for(order)
    if existing is not None:
        return existing
    last_round = db.session.execute(
        db.select(func.max(Callback.round)).filter_by(work_order_id=order.id)
    ).scalar_one()
    due_from, due_by = windows.for_policy(order.done_at, policy)
    callback = Callback(
        work_order=order, work_order_id=order.id, round=(last_round or 0) + 1, category=order.category,
        branch_id=order.branch_id, technician_id=order.technician_id, completed_at=order.done_at,
        due_from=due_from, due_by=due_by, daytime_only=bool(policy.callback_daytime_only), status=PENDING,
    )
    db.session.add(callback)
    db.session.flush()
    _take_rating_given_already(callback)
    return callback


def answer(callback, actor, solved, satisfaction, comment="", close=False):
    """The customer was reached: solved or not, how satisfied, in their words.

    :raise Conflict: already answered. :raise ValidationFailed: a missing or bad answer.
    :raise InvalidTransition: the order cannot be called back or reopened from its state.
    """
    require_role(actor, BACK_OFFICE, "记录回访")
    _check_pending(callback)
    comment = _check_answer(solved, satisfaction, comment)
    order = callback.work_order
    if solved:
        if order.status == "done":
            perform(order, "call_back", actor, note=_summary(solved, satisfaction, comment))
        if close and order.status == "called_back":
            perform(order, "close", actor, note="回访后关闭")
    else:
        reopen(order, actor, f"客户反映:{comment}")
    _fill(callback, "phone", solved, satisfaction, comment, now_utc(), actor)
    record(actor, "callback", callback.id, "answer", solved=solved, satisfaction=satisfaction, close=close)
    db.session.flush()
    return callback


def not_reached(callback, actor, note="", retry_at=None):
    """A call that did not reach the customer: kept with when to try again; the task stays pending.

    :raise ValidationFailed: a retry time in the past or at night.
    """
    require_role(actor, BACK_OFFICE, "记录回访")
    _check_pending(callback)
    note = (note or "").strip() or "未接通"
    retry_at = _check_retry(retry_at)
    if len(note) > MAX_TEXT:
        raise ValidationFailed("备注太长。", {"note": [f"最多 {MAX_TEXT} 字"]})
    attempt = CallbackAttempt(callback=callback, by_id=actor.id, note=note, retry_at=retry_at, at=now_utc())
    db.session.add(attempt)
    order = callback.work_order
    add_history(order, "callback_attempt", order.status, actor, at=attempt.at,
                note=f"{note};{format_local(retry_at)} 再拨")
    record(actor, "callback", callback.id, "not_reached", retry_at=retry_at)
    db.session.flush()
    return attempt


def take_slip_rating(rating):
    """The customer's rating on the slip's page, for the callback of the round the slip was signed in.

    A clerk answering the same callback meanwhile wins: the task is read again under its lock, and a
    rating that finds it answered (or its order no longer done) stays on the slip and answers nothing.
    """
    callback = pending_for(rating.slip.work_order)
    if callback is None or not _same_round(callback, rating.slip) or _rating_taken(rating):
        return None
    callback = get(callback.id, lock=True)
    if callback.status != PENDING:
        return None
    callback.slip_rating = rating
    if rating.solved and callback.work_order.status == "done":
        _fill(callback, "slip", True, rating.satisfaction, rating.comment, rating.rated_at, None)
        _called_back_by_customer(callback)
    db.session.flush()
    return callback


def is_flagged(callback):
    """The customer said on the slip's page that the problem is not solved: the back office must call."""
    return callback.status == PENDING and callback.slip_rating is not None and callback.slip_rating.solved is False


def default_retry(now=None):
    return windows.first_daytime((now or now_utc()) + RETRY_AFTER)


def _check_pending(callback):
    if callback.status != PENDING:
        raise Conflict("该回访已记录,不能重复回访。", code="callback_answered")


def _check_answer(solved, satisfaction, comment):
    problems = {}
    if not isinstance(solved, bool):
        problems["solved"] = ["请选择问题是否已解决"]
    if satisfaction not in SATISFACTION:
        problems["satisfaction"] = ["请选择满意程度"]
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        problems["comment"] = [f"最多 {MAX_TEXT} 字"]
    elif solved is False and not comment:
        problems["comment"] = ["未解决时请记下客户反映的问题,师傅据此返修"]
    if problems:
        raise ValidationFailed("回访结果不完整。", problems)
    return comment


def _check_retry(retry_at):
    if retry_at is None:
        return default_retry()
    if retry_at <= now_utc():
        raise RuleBroken("再拨时间须晚于现在。", {"retry_at": ["再拨时间须晚于现在"]})
    if is_night(retry_at):
        raise RuleBroken("20:00–08:00 不打扰客户,请另选再拨时间。",
                         {"retry_at": ["请选择 08:00–20:00 之间的时间"]})
    return retry_at


def _fill(callback, source, solved, satisfaction, comment, at, actor):
    callback.status, callback.source, callback.answered_at = ANSWERED, source, at
    callback.answered_by_id = actor.id if actor else None
    callback.solved, callback.satisfaction, callback.comment = solved, satisfaction, comment or None


def _summary(solved, satisfaction, comment):
    words = f"回访:{'问题已解决' if solved else '问题未解决'},{SATISFACTION[satisfaction]}"
    return f"{words}。{comment}" if comment else words


def _called_back_by_customer(callback):
    """Nobody at the desk did it: the customer's own answer moves the order on, stamped as the rating."""
    order = callback.work_order
    at = max(callback.answered_at, order.done_at)  # a rating made before the phone's 完工 arrived
    order.status, order.called_back_at = "called_back", at
    note = "客户扫码评价," + _summary(True, callback.satisfaction, callback.comment)
    add_history(order, "call_back", "done", None, at=at, note=note)
    record(None, "work_order", order.id, "call_back", status=order.status, source="slip")


def _same_round(callback, slip):
    """A slip belongs to the round it was signed in: after the previous completion, if there was one."""
    if slip.status != SIGNED:
        return False
    previous = db.session.execute(
        db.select(Callback.completed_at).filter_by(work_order_id=callback.work_order_id, round=callback.round - 1)
    ).scalar_one_or_none()
    return previous is None or slip.signed_at > previous


def _rating_taken(rating):
    return db.session.execute(db.select(Callback.id).filter_by(slip_rating_id=rating.id)).first() is not None


def _take_rating_given_already(callback):
    """The customer may scan the QR code before the phone's 完工 reaches the server."""
    slip = db.session.execute(  # the latest: a reopened order's next visit has a slip of its own
        db.select(Slip).filter_by(work_order_id=callback.work_order_id, status=SIGNED).order_by(Slip.id.desc()).limit(1)
    ).scalar()
    if slip is not None and slip.rating is not None:
        take_slip_rating(slip.rating)


def answered_by_order(order_ids):
    """{order id: its answered callbacks, by round} for many orders in one query (KPI drill-down, ledger)."""
    answers = {}
    for callback in db.session.execute(
            db.select(Callback).where(Callback.work_order_id.in_(order_ids), Callback.status == ANSWERED)
            .order_by(Callback.round).options(joinedload(Callback.technician))).scalars():
        answers.setdefault(callback.work_order_id, []).append(callback)
    return answers
