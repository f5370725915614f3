"""Jobs on a real queue (RQ on a redis-server the suite starts): a slip's PDF is rendered by the worker while
the desk and the phone are told 正在生成, then picked up; asked for twice it is rendered once, into one object;
a job that keeps failing is retried, then kept for an admin to see and run again — never silently missing.
Without a queue (the embedded default) the same PDF is made in the request, as before."""
from io import BytesIO

import pytest

from app import jobs
from app.extensions import db
from app.files.storage import storage
from app.imports import services as imports
from app.imports.models import CHECKED
from app.service_slips import printing
from tests import factories
from tests.imports.test_household_import import rows_text
from tests.service_slips.conftest import as_user, shop  # noqa: F401 - a signed slip


@pytest.fixture
def queued(app, redis_url, monkeypatch):
    """The app with a queue, emptied first, and the worker running its jobs in this very app."""
    monkeypatch.setitem(app.config, "SHIFU_QUEUE_URL", redis_url)
    monkeypatch.setattr(jobs, "_app", app)
    with app.app_context():
        jobs.queue().connection.flushdb()
    return app


def work(app):
    with app.app_context():
        jobs.make_worker(jobs.queue()).work(burst=True)


def slip_objects(app):
    with app.app_context():
        return sorted(key for key in storage().listing() if key.startswith("slips/"))


def test_a_pdf_is_rendered_by_the_worker_and_picked_up_when_ready(queued, client, shop):  # noqa: F811
    desk = as_user(client, shop["back_office"])
    url = f"/api/v1/slips/{shop['slip']}/pdf"
    before = slip_objects(queued)
    waiting = desk.get(url, headers={"Accept": "application/pdf"})
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "2"
    assert waiting.get_json()["status"] == "rendering"
    page = desk.get(url, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 202 and "正在生成" in page.text and 'http-equiv="refresh"' in page.text
    with queued.app_context():
        assert len(jobs.queue()) == 1  # asked three times, queued once
    work(queued)
    ready = desk.get(url)
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")
    made = [key for key in slip_objects(queued) if key not in before]
    assert len(made) == 2  # the three copies and the customer's copy
    with queued.app_context():
        printing.render(shop["slip"], "http://localhost")  # rendered again: the same objects, nothing new
    assert [key for key in slip_objects(queued) if key not in before] == made
    assert desk.get(url + "?copy=customer").status_code == 200


def test_a_job_that_keeps_failing_is_retried_then_kept_for_an_admin(queued, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0, 0))
    with queued.app_context():
        job = jobs.later(printing.render, 999999)
    work(queued)
    with queued.app_context():
        [(job_id, what, _when, error)] = jobs.failed()
        assert job_id == job.id and what.startswith("render(999999") and "slip 999999 not found" in error[0]
        assert job.__class__.fetch(job.id, connection=jobs.queue().connection).retries_left == 0
        assert jobs.retry_failed(job_id) and jobs.failed() == [] and len(jobs.queue()) == 1


def test_without_a_queue_the_pdf_is_made_in_the_request(app, client, shop):  # noqa: F811
    assert not app.config.get("SHIFU_QUEUE_URL")
    answer = as_user(client, shop["back_office"]).get(f"/api/v1/slips/{shop['slip']}/pdf")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    with app.app_context():
        assert db.session is not None and jobs.queue() is None


def test_the_admin_sees_a_failed_job_and_puts_it_back(queued, client, world, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0, 0))
    with queued.app_context():
        jobs.later(printing.render, 424242)
    work(queued)
    world.as_(client, "admin")
    page = client.get("/admin/jobs")
    assert page.status_code == 200 and "render(424242" in page.text and "slip 424242 not found" in page.text
    job_id = page.text.split('/admin/jobs/')[1].split('/retry')[0]
    assert client.post(f"/admin/jobs/{job_id}/retry").status_code == 302
    assert "没有失败的任务" in client.get("/admin/jobs").text
    world.as_(client, "dispatcher")
    assert client.get("/admin/jobs").status_code == 403


def test_an_import_s_dry_run_goes_to_the_queue_and_the_worker_runs_it(queued):
    with queued.app_context():
        factories.estate(factories.area(name="河东片区"), name="幸福里")
        admin = factories.user("admin")
        db.session.commit()
        found = imports.upload(admin, "导出.csv", BytesIO(rows_text("幸福里").encode("gbk")))
        imports.set_mapping(admin, found, found.mapping)
        db.session.commit()
        jobs.start(imports.run_check, found.id)
        assert len(jobs.queue()) == 1 and imports.get(found.id).status != CHECKED
        import_id = found.id
    work(queued)
    with queued.app_context():
        assert imports.get(import_id).status == CHECKED
