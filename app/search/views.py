"""The desk's search box: type, Enter. A number or serial that names one order opens it at once."""
from flask import Blueprint, redirect, render_template, request, url_for

from app.auth.access import DESK, roles_required
from app.search import services

bp = Blueprint("search", __name__)


@bp.get("/search")
@roles_required(*DESK)
def results():
    found = services.find(request.args.get("q", ""))
    if found.exact is not None:
        return redirect(url_for("work_orders.detail", order_id=found.exact.id))
    return render_template("search/results.html", found=found)
