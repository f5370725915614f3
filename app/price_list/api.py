from flask import current_app, jsonify, request
from flask_login import current_user

from app.api import Blueprint
from app.auth.access import DESK, roles_required
from app.errors import NotFound
from app.price_list import services
from app.price_list.schemas import InForceQuery, VersionOut

blp = Blueprint("price_list_api", __name__, url_prefix="/price-list", description="The price list (价目表)")


@blp.get("/current")
@roles_required()
@blp.arguments(InForceQuery, location="query")
@blp.response(200, VersionOut)
@blp.alt_response(304, description="Unchanged since the ETag sent in If-None-Match")
@blp.alt_response(404, description="No price list is in force on that day")
def current(query):
    """The version in force today (or `on` a given day) with its items; the phone keeps it for offline quotes.

    A published version never changes, so its id (with the shape of this answer: v2 carries each item's
    after-sales terms) is its ETag.
    """
    version = services.version_in_force(query["on"])
    if version is None:
        raise NotFound("当天没有生效的价目表。", code="no_price_list_in_force")
    etag = f"price-list-{version.id}-v2"
    if request.if_none_match.contains(etag):
        response = current_app.response_class(status=304)
    else:
        response = jsonify(VersionOut().dump(version))
    response.set_etag(etag)
    return response


@blp.get("/versions/<int:version_id>")
@roles_required()
@blp.response(200, VersionOut)
@blp.alt_response(404, description="No such version (drafts are not shown to technicians)")
def version(version_id):
    """Any version, e.g. the one a slip was quoted from; drafts only for the desk."""
    found = services.get_version(version_id)
    if found.is_draft and current_user.role not in DESK:
        raise NotFound("找不到该价目表。")
    return found
