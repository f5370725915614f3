"""Work that need not hold a request: run beside it, in this process, with its own application context.

The embedded default (no queue to install): a thread of the worker that took the request. Its progress
and outcome live in the database, so any worker can show them and a reload loses nothing; a job whose
worker stops is seen as stopped (no heartbeat) and can be started again. A real queue (issue 12) takes
the same functions."""
import threading

from flask import current_app


def start(function, *args):
    app = current_app._get_current_object()
    if app.config.get("SHIFU_JOBS_INLINE"):
        function(*args)
        return

    def run():
        with app.app_context():
            try:
                function(*args)
            except Exception:  # noqa: BLE001 - the job recorded its failure; log it for the admin too
                app.logger.exception("background job %s failed", function.__name__)

    threading.Thread(target=run, name=f"job-{function.__name__}", daemon=True).start()
