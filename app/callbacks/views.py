"""The back office's callback queue (回访) and the page where one callback is worked."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.auth.access import DESK, roles_required
from app.branches.models import Branch
from app.callbacks import queue, services
from app.callbacks.models import ANSWERED, PENDING, SOURCES
from app.callbacks.schemas import AnswerForm, AttemptIn
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.localtime import format_local
from app.schemas import LAST_PAGE, id_number, load_form
from app.service_slips.content import SATISFACTION
from app.visits import services as visits

bp = Blueprint("callbacks", __name__, url_prefix="/callbacks")
QUEUE_SIZE = 200
NOTES = ("无人接听", "关机", "占线", "号码有误", "客户不方便,约定再拨")


@bp.get("")
@roles_required(*DESK)
def queue_page():
    filters = _sticky_filters()
    view = ANSWERED if request.args.get("view") == ANSWERED else PENDING
    statement = queue.filtered(view, filters.get("branch_id"), filters.get("overdue", False) and view == PENDING)
    return render_template(
        "callbacks/queue.html", page=queue.page_of(statement, _page_number(), QUEUE_SIZE), view=view, filters=filters,
        counts=queue.counts(filters.get("branch_id")), **_page_helpers(),
        branches=db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all(),
    )


def _page_number():
    """?page=N, 1 for anything that is not a sensible page number."""
    return id_number(request.args.get("page"), largest=LAST_PAGE) or 1


def _sticky_filters():
    """Filters stick: the last ones chosen are used until changed or cleared."""
    if request.args.get("clear"):
        session.pop("callback_filters", None)
    elif "filtered" in request.args:
        session["callback_filters"] = {"branch_id": id_number(request.args.get("branch_id")),
                                       "overdue": bool(request.args.get("overdue"))}
    return session.get("callback_filters", {})


@bp.get("/<int:callback_id>")
@roles_required(*DESK)
def work(callback_id):
    return _work_page(services.get(callback_id))


def _work_page(callback, status=200, form=None, errors=None, chosen=None):
    order = callback.work_order
    return render_template(
        "callbacks/work.html", callback=callback, order=order, rounds=services.rounds_of(order),
        form=form or {}, errors=errors or {}, chosen=chosen, notes=NOTES,
        default_retry=format_local(services.default_retry()),
        can_answer=current_user.role in services.BACK_OFFICE and callback.status == PENDING, **_page_helpers(),
    ), status


def _page_helpers():
    return {"due_state": queue.due_state, "retry_text": queue.retry_text, "is_flagged": services.is_flagged,
            "SATISFACTION": SATISFACTION, "SOURCES": SOURCES, "PENDING": PENDING}


@bp.post("/<int:callback_id>/answer")
@roles_required(*services.BACK_OFFICE)
def answer(callback_id):
    callback = services.get(callback_id, lock=True)

    def change():
        data = load_form(AnswerForm(), request.form)
        services.answer(callback, current_user, data["solved"] == "yes", data["satisfaction"], data["comment"],
                        close=data["close"])
        return _answered_message(callback)

    return _act(callback, change, "reached")


@bp.post("/<int:callback_id>/attempts")
@roles_required(*services.BACK_OFFICE)
def not_reached(callback_id):
    callback = services.get(callback_id, lock=True)

    def change():
        data = load_form(AttemptIn(), request.form)
        attempt = services.not_reached(callback, current_user, data["note"], data["retry_at"])
        return f"已记录未接通({callback.work_order.number}),约 {format_local(attempt.retry_at)} 再拨。"

    return _act(callback, change, "not_reached")


@bp.post("/<int:callback_id>/close")
@roles_required(*services.BACK_OFFICE)
def close(callback_id):
    """From the answered list: the order that was called back is closed (办结)."""
    order = services.get(callback_id).work_order  # the order transition takes its own care
    with refusal() as refused:
        visits.advance(order, current_user, "close", note="回访后关闭")
    if refused.error:
        flash(refused.error.message, "error")
    else:
        db.session.commit()
        flash(f"工单 {order.number} 已关闭。", "success")
    return redirect(url_for("callbacks.queue_page", view=ANSWERED))


def _act(callback, change, chosen):
    """Bad input: the page again with each field's message (422), nothing kept. Refused: why, on the page."""
    with refusal() as refused:
        message = change()
    if isinstance(refused.error, ValidationFailed):
        return _work_page(callback, 422, request.form, refused.error.fields, chosen)
    if refused.error:
        flash(refused.error.message, "error")
        return redirect(url_for("callbacks.work", callback_id=callback.id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("callbacks.queue_page"))


def _answered_message(callback):
    order = callback.work_order
    if not callback.solved:
        return f"已记录回访:{order.number} 问题未解决,工单已退回调度重新派单。"
    closed = ",工单已关闭" if order.status == "closed" else ""
    return f"已记录回访:{order.number} 问题已解决,{SATISFACTION[callback.satisfaction]}{closed}。"
