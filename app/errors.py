"""Domain errors raised by services, and how HTTP shows them.

Under /api/ every error is `{"error": code, "message": text, "fields": {...}}`;
elsewhere it is a readable page.
"""
from contextlib import contextmanager
from types import SimpleNamespace

from flask import render_template, request
from werkzeug.exceptions import HTTPException

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    503: "busy",
}

HTTP_MESSAGES = {
    400: "请求无法处理。",
    401: "请先登录。",
    403: "没有权限执行此操作。",
    404: "找不到该内容。",
    405: "不支持该操作。",
    413: "提交的内容过大。",
    422: "提交的内容有误。",
    429: "尝试次数过多,请稍后再试。",
}


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None, code=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code

    @property
    def details(self):
        """Every field's messages in one line, for a flash or a terminal that has no field to stand beside."""
        return ";".join(message for messages in self.fields.values() for message in messages)


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class RuleBroken(ValidationFailed):
    """Input in the documented shape that the rules refuse for what is stored, or for what time it is now: a
    户号 already taken, an appointment in the past, a technician not on duty, a retry at night. 409, not
    422: 422 is kept for what the OpenAPI document itself rules out, so an integration that follows the
    document is never told its request was malformed. Still a ValidationFailed, shown beside the field."""

    status = 409
    code = "rule_broken"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


@contextmanager
def refusal(kind=None):
    """For a desk page that shows a refusal itself (beside its form, or in a flash): the block's DomainError
    (or `kind`) is caught here, the request's one rollback done, and the error left in `.error`; nothing
    else in the view repeats what handle_domain_error does for the refusals nobody shows.

        with refusal(ValidationFailed) as refused:
            services.save_item(...)
        if refused.error:
            return page(422, refused.error.fields)
        db.session.commit()
    """
    from app.extensions import db

    outcome = SimpleNamespace(error=None)
    try:
        yield outcome
    except DomainError as error:
        if kind is not None and not isinstance(error, kind):
            raise
        db.session.rollback()
        outcome.error = error


def wants_json():
    return request.path.startswith("/api/")


def error_body(code, message, fields=None):
    return {"error": code, "message": message, "fields": fields or {}}


def _render(status, code, message, fields=None):
    if wants_json():
        return error_body(code, message, fields), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_domain_error(error):
    from app.extensions import db

    db.session.rollback()
    return _render(error.status, error.code, error.message, error.fields)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    fields = _webargs_fields(data.get("messages"))
    message = HTTP_MESSAGES.get(status) or error.description or "出错了。"
    if status == 422 and fields:
        message = "提交的内容有误:" + "、".join(sorted(fields)) + "。"
    code = HTTP_CODES.get(status, "error")
    if status == 400 and getattr(error, "description", "").lower().startswith("the csrf"):
        code, message = "csrf_failed", "页面已过期,请刷新后重试。"
    body, status = _render(status, code, message, fields)
    # What the exception says beyond its body: Allow on a 405, WWW-Authenticate, Retry-After.
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return body, status, headers


def handle_unexpected(error):
    from app.extensions import db

    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    from flask import current_app

    current_app.logger.exception("unexpected error")
    return _render(500, "server_error", "服务器出错了,请稍后再试。")


def _webargs_fields(messages):
    """webargs nests messages by location ({"json": {...}}); clients only need the field names."""
    if not messages:
        return {}
    fields = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            fields.update(location_messages)
    return fields


def register_error_handlers(app):
    from flask_wtf.csrf import CSRFError

    from app.conflicts import Busy, handle_busy

    app.register_error_handler(Busy, handle_busy)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_http_exception)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
