"""The technician's field app: one shell page; ES modules render every screen from the API."""
from flask import Blueprint, render_template

bp = Blueprint("field", __name__, url_prefix="/field")


@bp.get("/")
def shell():
    # No login check here: the shell is the same for everyone and will be cached for offline use;
    # the data behind it comes from the API, which checks every request.
    return render_template("field/shell.html")
