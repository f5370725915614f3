"""A work order at the desk: its clocks and history, and the dispatcher's actions on it."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import DESK, DISPATCH, roles_required
from app.auth.models import User
from app.branches.services import filter_options
from app.callbacks import services as callbacks
from app.clocks import services as clocks
from app.commands import services as commands
from app.dispatch import services as dispatch
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.localtime import local_today
from app.schemas import id_number, load_form
from app.service_slips import services as slips
from app.spreadsheets import send_xlsx
from app.visits import checklist
from app.visits import services as visits
from app.work_orders import listing, services
from app.work_orders.appointments import set_appointment
from app.work_orders.schemas import AppointmentIn
from app.work_orders.vocabulary import ACTIONS

bp = Blueprint("work_orders", __name__, url_prefix="/work-orders")
FILTER_NAMES = {"status": "状态", "category": "类别", "branch_id": "分公司", "technician_id": "师傅",
                "opened_from": "受理起始日", "opened_to": "受理截止日", "page": "页码"}


@bp.get("")
@roles_required(*DESK)
def list_page():
    """全部工单: every state, newest first, with the board's filters and dates; XLSX of the same."""
    filters, dropped = listing.parse(request.args)
    if dropped:
        flash("筛选条件有误,已忽略:" + "、".join(FILTER_NAMES.get(name, name) for name in dropped) + "。", "error")
    return render_template("work_orders/list.html", filters=filters, page=listing.page(current_user, filters),
                           args={k: v for k, v in request.args.items() if k != "page" and k not in dropped},
                           **filter_options())


@bp.get("/export.xlsx")
@roles_required(*DESK)
def export():
    filters, _dropped = listing.parse(request.args)
    return send_xlsx(listing.workbook(current_user, filters), listing.export_name(local_today()))


@bp.get("/<int:order_id>")
@roles_required(*DESK)
def detail(order_id):
    order = services.get_visible(current_user, order_id)
    return render_template(
        "work_orders/detail.html",
        order=order,
        clocks=clocks.clocks(order),
        actions=services.available_actions(order, current_user),
        candidates=dispatch.candidates(order.area) if current_user.role in DISPATCH else [],
        refused=commands.refused_for(order.id),
        visit=visits.latest_visit(order),
        checklist=checklist,
        slips=slips.slips_of(order.id),
        callback=callbacks.pending_for(order),
    )


def _act(order_id, change, done_message):
    """Run one change; on refusal nothing is kept and the dispatcher reads why."""
    order = services.get_visible(current_user, order_id, lock=True)
    with refusal() as refused:
        change(order)
    if refused.error:
        flash(refused.error.message, "error")
    else:
        db.session.commit()
        flash(done_message(order), "success")
    return redirect(url_for("work_orders.detail", order_id=order_id))


@bp.post("/<int:order_id>/assign")
@roles_required(*DISPATCH)
def assign(order_id):
    technician_id = request.form.get("technician_id", "")
    technician = db.session.get(User, id_number(technician_id)) if id_number(technician_id) else None
    return _act(
        order_id,
        lambda order: dispatch.dispatch(order, current_user, technician),
        lambda order: f"已派给 {order.technician.name}。",
    )


@bp.post("/<int:order_id>/appointment")
@roles_required(*DISPATCH)
def appointment(order_id):
    def change(order):
        data = load_form(AppointmentIn(), request.form)
        set_appointment(order, current_user, data["appointment_at"], data["customer_asked_night"])

    return _act(order_id, change, lambda order: "预约已保存。")


@bp.post("/<int:order_id>/transition")
@roles_required(*DESK)
def transition(order_id):
    action = request.form.get("action", "")

    def change(order):
        if action == "cancel":
            services.cancel(order, current_user, request.form.get("reason", ""))
        elif action == "answer":
            services.answer_on_first_contact(order, current_user, request.form.get("note", ""))
        elif action in services.TRANSITIONS:
            visits.advance(order, current_user, action, note=request.form.get("note") or None)
        else:
            raise ValidationFailed("没有这个操作。")

    return _act(order_id, change, lambda order: f"已{ACTIONS.get(action, action)}。")
