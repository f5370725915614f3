"""Work that need not hold a request.

With a queue configured (`QUEUE_URL=redis://…`) a job goes to RQ on Redis and a worker runs it
(`flask jobs worker`, one or more, on any server): retried three times (after 5, 30 and 120 seconds),
then kept in RQ's failed registry, which an admin sees at 设置 › 后台任务 and can run again. RQ because
Redis is already the production set-up's shared store (rate limits), a job is a plain function, and its
worker is one process to keep running — nothing of our own to maintain.

With none (the embedded default) a job runs where it is asked for: a slip's PDF in the request, an
import in a thread of the worker that took the request (its progress and outcome live in the database,
so any worker can show them and a reload loses nothing; a job whose worker stops is seen as stopped —
no heartbeat — and can be started again).
"""
import threading

from flask import current_app

QUEUE_NAME = "shifu"
RETRY_INTERVALS = (5, 30, 120)
KEEP_FAILED = 30 * 24 * 3600  # a failed job stays visible for a month


def queue():
    """The RQ queue, or None when no queue is configured."""
    url = current_app.config.get("SHIFU_QUEUE_URL")
    if not url:
        return None
    made = current_app.extensions.setdefault("shifu_queue", {})
    if url not in made:
        from redis import Redis
        from rq import Queue

        made[url] = Queue(QUEUE_NAME, connection=Redis.from_url(url))
    return made[url]


def enqueue(function, *args, job_id=None):
    """Put `function(*args)` on the queue, once per `job_id` while one is waiting or running. Returns the job,
    or None when no queue is configured (the caller then does the work itself)."""
    found = queue()
    if found is None:
        return None
    from rq import Retry
    from rq.job import Job, JobStatus

    if job_id is not None:
        existing = Job.fetch(job_id, connection=found.connection) if Job.exists(job_id, found.connection) else None
        if existing is not None and existing.get_status() in (JobStatus.QUEUED, JobStatus.STARTED,
                                                                JobStatus.SCHEDULED, JobStatus.DEFERRED):
            return existing
    return found.enqueue(function, *args, job_id=job_id, retry=Retry(max=len(RETRY_INTERVALS),
                                                                     interval=list(RETRY_INTERVALS)),
                         failure_ttl=KEEP_FAILED, job_timeout=300)


def later(function, *args, job_id=None):
    """`function(*args)` on the queue, inside the worker's application; None when no queue is configured."""
    return enqueue(in_app_context, function, *args, job_id=job_id)


def start(function, *args):
    """Run a job beside the request: on the queue when there is one, else in a thread of this process."""
    app = current_app._get_current_object()
    if app.config.get("SHIFU_JOBS_INLINE"):
        function(*args)
        return
    if later(function, *args) is not None:
        return

    def run():
        with app.app_context():
            try:
                function(*args)
            except Exception:  # noqa: BLE001 - the job recorded its failure; log it for the admin too
                app.logger.exception("background job %s failed", function.__name__)

    threading.Thread(target=run, name=f"job-{function.__name__}", daemon=True).start()


def in_app_context(function, *args):
    """What a worker runs: the job inside the worker's application (made once per worker process)."""
    with worker_app().app_context():
        return function(*args)


_app = None


def worker_app():
    global _app  # noqa: PLW0603 - one application per worker process, made on its first job
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def failed(limit=100):
    """The jobs that failed every retry, newest first: (job id, what, when, [the error's last line])."""
    found = queue()
    if found is None:
        return []
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    ids = list(reversed(FailedJobRegistry(queue=found).get_job_ids()))[:limit]
    jobs = [job for job in Job.fetch_many(ids, connection=found.connection) if job is not None]
    return [(job.id, describe(job), job.ended_at, [last_line(job)]) for job in jobs]


def last_line(job):
    result = job.latest_result()
    lines = (result.exc_string or "").strip().splitlines() if result else []
    return lines[-1] if lines else ""


def describe(job):
    """"render(17, 'https://…')": the function a job runs (through in_app_context) and its arguments."""
    args = list(job.args)
    if job.func_name.endswith("in_app_context") and args:
        name, args = getattr(args[0], "__name__", str(args[0])), args[1:]
    else:
        name = job.func_name
    return f"{name}({', '.join(map(repr, args))})"


def retry_failed(job_id):
    """Put a failed job back on the queue. :return: whether it was there to retry."""
    found = queue()
    if found is None:
        return False
    from rq.registry import FailedJobRegistry

    registry = FailedJobRegistry(queue=found)
    if job_id not in registry.get_job_ids():
        return False
    registry.requeue(job_id)
    return True


def make_worker(found):
    """An RQ worker running jobs in this process (the app is made once, not per job), listening for RQ's
    commands with a one-second poll instead of its sixty, which a stopping worker would wait out."""
    from rq import SimpleWorker

    class Worker(SimpleWorker):
        def subscribe(self):
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(sleep_time=1, daemon=True,
                                                           exception_handler=self._pubsub_exception_handler)

    return Worker([found], connection=found.connection)


def register(app):
    import click

    @app.cli.group("jobs")
    def jobs_group():
        """Background jobs on the queue (QUEUE_URL)."""

    @jobs_group.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, a one-off catch-up).")
    def worker(burst):
        """Run queued jobs (slip PDFs, imports) until stopped; start one or more beside the app servers."""
        found = queue()
        if found is None:
            raise click.ClickException("没有配置任务队列(QUEUE_URL),任务在请求中直接执行,无需 worker。")
        global _app  # noqa: PLW0603 - the jobs run in this very application
        _app = current_app._get_current_object()
        make_worker(found).work(burst=burst, with_scheduler=True)

    @jobs_group.command("failed")
    def list_failed():
        """The jobs that failed every retry."""
        for job_id, what, when, error in failed():
            click.echo(f"{job_id}\t{when}\t{what}\t{error[0] if error else ''}")
