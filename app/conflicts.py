"""Two transactions that collide (a deadlock, a serialization failure, a lock wait that timed out, SQLite's
"database is locked") are not the client's fault: the request is run again inside the server, a few
times, with a short random pause, and only then answered 503 with Retry-After, never 500.

Running a request again is safe: every view commits once at its end, so a failed attempt leaves
nothing behind, and phone commands are idempotent by their client_uuid anyway.
"""
import random
import sqlite3
import time

from flask import Flask, request
from sqlalchemy.exc import DBAPIError

from app.errors import DomainError
from app.extensions import db

ATTEMPTS = 4
PAUSE_SECONDS = (0.02, 0.15)  # each retry waits a random moment in this range, times the attempt number
RETRY_AFTER_SECONDS = 2
# deadlock_detected, serialization_failure, lock_not_available (lock_timeout)
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


class Busy(DomainError):
    status = 503
    code = "busy"


def is_transient(error):
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) in TRANSIENT_SQLSTATES:
        return True
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def _rewind_uploads():
    for upload in request.files.values():
        upload.stream.seek(0)


class RetryingFlask(Flask):
    def dispatch_request(self):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return super().dispatch_request()
            except DBAPIError as error:
                if not is_transient(error):
                    raise
                db.session.rollback()
                self.logger.warning("transient database conflict (attempt %s of %s): %s", attempt, ATTEMPTS,
                                    error.orig)
                if attempt == ATTEMPTS:
                    raise Busy("服务器繁忙,请稍后重试。") from error
                _rewind_uploads()
                time.sleep(random.uniform(*PAUSE_SECONDS) * attempt)
        raise AssertionError("unreachable")


def handle_busy(error):
    from app.errors import handle_domain_error

    response, status = handle_domain_error(error)
    return response, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}
