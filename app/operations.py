"""What the load balancer and the operator see: `/healthz` (the process answers), `/readyz` (the database, the
file store and, when configured, Redis answer too), and one JSON line per request on the `shifu.requests`
logger — request id, method, path, status, duration, user — for whatever collects the servers' logs."""
import json
import logging
import re
import sys
import time
import uuid

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import event, inspect, text

from app import jobs
from app.auth.access import roles_required
from app.extensions import db, limiter
from app.files.storage import storage

bp = Blueprint("operations", __name__)
log = logging.getLogger("shifu.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # one a proxy set (nginx's $request_id), or ours
QUIET = ("operations.healthz", "operations.readyz", "static")


@bp.get("/healthz")
def healthz():
    """Alive: answers without touching the database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready for traffic: every service this server needs answers. 503 naming the one that does not."""
    checks = {"database": _database, "storage": lambda: storage().ping()}
    if current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith(("redis://", "rediss://")):
        checks["redis"] = _redis
    if jobs.queue() is not None:
        checks["queue"] = lambda: jobs.queue().connection.ping()
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means not ready; its kind is reported
            results[name] = f"{type(error).__name__}"
    ready = all(result == "ok" for result in results.values())
    return jsonify(status="ok" if ready else "unavailable", checks=results), 200 if ready else 503


@bp.get("/admin/jobs")
@roles_required("admin")
def jobs_page():
    """设置 › 后台任务: the jobs that failed every retry, to see and run again."""
    return render_template("operations/jobs.html", queue=jobs.queue(), failed=jobs.failed())


@bp.post("/admin/jobs/<job_id>/retry")
@roles_required("admin")
def retry_job(job_id):
    if jobs.retry_failed(job_id):
        flash("已重新排队,稍后刷新查看。", "success")
    else:
        flash("该任务已不在失败列表中。", "error")
    return redirect(url_for("operations.jobs_page"))


def _database():
    db.session.execute(text("SELECT 1"))
    db.session.rollback()


def _redis():
    if not limiter.storage.check():
        raise ConnectionError("redis did not answer")


# ---- request logs ----

def start_request():
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.started = time.perf_counter()
    g.sql_statements = 0


def log_request(response):
    response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
    if request.endpoint in QUIET or not log.isEnabledFor(logging.INFO):
        return response
    log.info(json.dumps({
        "request_id": g.get("request_id"), "method": request.method, "path": request.path,
        "status": response.status_code, "ms": round((time.perf_counter() - g.get("started", time.perf_counter()))
                                                    * 1000, 1),
        "user_id": _user_id(), "remote": request.remote_addr, "sql": g.get("sql_statements"),
    }, ensure_ascii=False))
    return response


def _user_id():
    """The id of a user this request already loaded, read from its identity: after the view's commit the user
    is expired, and `user.id` would load it again (a transaction and a query, ~3 ms, for a log line)."""
    state = inspect(g.get("_login_user"), raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def _count_statement(*_args):
    """How many SQL statements the request sent: in its log line, where a query-per-row shows at once."""
    if has_request_context() and "sql_statements" in g:
        g.sql_statements += 1


def init_app(app):
    app.register_blueprint(bp)
    app.before_request(start_request)
    app.after_request(log_request)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count_statement)
    if app.config.get("SHIFU_REQUEST_LOG") and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
