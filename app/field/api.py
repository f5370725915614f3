from flask import jsonify, request
from flask_login import current_user

from app.api import Blueprint
from app.auth.access import roles_required
from app.database import reads_only
from app.field import services, stamps
from app.field.schemas import BundleOut
from app.localtime import now_utc
from app.materials.queries import van_list

BUNDLE_OUT = BundleOut()  # made once: a schema's nested fields are copied on every instantiation
blp = Blueprint("bundle_api", __name__, url_prefix="/me", description="What the phone keeps offline")


@blp.get("/bundle")
@reads_only
@roles_required("technician")
@blp.response(200, BundleOut)
@blp.alt_response(304, description="Unchanged since the ETag sent in If-None-Match")
def bundle():
    """My jobs with their visits, the checklist and photo rules; send If-None-Match to skip an unchanged one."""
    # The tag first, from the stamps alone (app/field/stamps.py): an unchanged bundle is not built at all,
    # and one built after reading it is never older than its tag.
    versions = stamps.versions_for(current_user)
    etag = stamps.etag_for(current_user, versions)
    if request.if_none_match.contains(etag):
        return "", 304, {"ETag": f'"{etag}"'}
    company_version, _own, day = versions
    shared = services.shared_parts(company_version, day, current_user.branch_id)
    payload = BUNDLE_OUT.dump({
        "generated_at": now_utc(),
        "technician": current_user,
        "jobs": services.technician_jobs(current_user),
        "checklist": shared["checklist"],
        "slip_terms": shared["slip_terms"],
        "materials": van_list(current_user, shared["catalogue"]),
        "price_list_version_id": shared["price_list_version_id"],
    })
    response = jsonify(payload)
    response.headers["ETag"] = f'"{etag}"'
    return response
