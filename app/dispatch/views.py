"""The dispatch desk: the board of open orders and the intake of a phone call."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.auth.access import DESK, DISPATCH, roles_required
from app.branches.models import Estate
from app.branches.services import filter_options
from app.dispatch import services as dispatch
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.households import services as households
from app.households.models import Household
from app.households.schemas import HouseholdIn
from app.schemas import id_number, load_dropping, load_form
from app.work_orders import queries
from app.work_orders.schemas import WorkOrderIn, WorkOrderQuery
from app.work_orders.vocabulary import URGENT_CATEGORIES

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")
BOARD_FILTERS = ("status", "category", "branch_id", "area_id", "technician_id", "overdue")
BOARD_SIZE = 200


def _board_filters():
    """Filters stick: the last ones chosen are used until changed or cleared."""
    if request.args.get("clear"):
        session.pop("board_filters", None)
        return {}
    chosen = {k: v for k, v in request.args.items(multi=True) if k in BOARD_FILTERS and v}
    if "filtered" in request.args:
        session["board_filters"] = {k: request.args.getlist(k) for k in chosen}
    return session.get("board_filters", {})


@bp.get("/board")
@roles_required(*DESK)
def board():
    query = _board_query(_board_filters())
    page = queries.page_of(queries.filtered(current_user, **query), 1, BOARD_SIZE)
    return render_template("dispatch/board.html", page=page, filters=query, **filter_options())


def _board_query(raw):
    """The filters as a query; one that does not parse (a hand-edited link) is dropped from the sticky
    filters with a message, rather than failing every visit to the board until they are cleared."""
    query, dropped = load_dropping(WorkOrderQuery(), _single(raw))
    if dropped:
        session["board_filters"] = {k: v for k, v in raw.items() if k not in dropped}
        flash("筛选条件有误,已忽略。", "error")
    return query


def _single(raw):
    return {k: v if k == "status" else v[0] for k, v in raw.items()}


@bp.route("/intake", methods=["GET", "POST"])
@roles_required(*DISPATCH)
def intake():
    if request.method == "GET":  # ?household_id= from the search: the caller's household already chosen
        return _intake_form({"household_id": request.args.get("household_id", "")})
    with refusal(ValidationFailed) as refused:
        order = _open_from_form(request.form)
    if refused.error:
        return _intake_form(request.form, refused.error), 422
    db.session.commit()
    _announce(order)
    return redirect(url_for("work_orders.detail", order_id=order.id))


def _open_from_form(form):
    if id_number(form.get("household_id")):
        household = households.get(id_number(form["household_id"]))
    elif form.get("account_number", "").strip():
        household = households.create(current_user, load_form(HouseholdIn(), form))
    else:
        raise ValidationFailed("请先查找并选择热用户,或新建热用户。", {"household_id": ["请选择热用户"]})
    return dispatch.take_call(current_user, household, load_form(WorkOrderIn(), form))


def _announce(order):
    who = f",已派给 {order.technician.name}" if order.technician else ",待派单"
    flash(f"已受理工单 {order.number}{who}。", "success")
    if order.category in URGENT_CATEGORIES:
        branch = order.branch
        flash(f"紧急跑水:请立即电话通知{branch.name}({branch.phone})。", "urgent")


def _intake_form(values, error=None):
    selected = None
    if id_number(values.get("household_id")):
        selected = db.session.get(Household, id_number(values["household_id"]))
    return render_template(
        "dispatch/intake.html",
        values=values,
        error=error,
        selected=selected,
        estates=db.session.execute(db.select(Estate).order_by(Estate.name)).scalars().all(),
        technicians=filter_options()["technicians"],
    )
