"""The phone with a job queue on the server: 客户联 PDF is answered 正在生成 (202) while the worker renders it,
the phone says so and asks again, and the file arrives once it is ready."""
from playwright.sync_api import expect

from app.auth.models import User
from app.extensions import db
from tests.field.phone import sign_in
from tests.service_slips.conftest import shop  # noqa: F401 - a signed slip
from tests.test_jobs import queued, work  # noqa: F401 - the app with a queue


def test_the_phone_waits_for_the_worker_and_then_shares_the_customers_copy(queued, live_server, phone,  # noqa: F811
                                                                           shop):  # noqa: F811
    with queued.app_context():
        username = db.session.get(User, shop["signed_tech"]).username
        order_id = db.session.execute(db.text("SELECT work_order_id FROM service_slips WHERE id = :id"),
                                      {"id": shop["slip"]}).scalar_one()
    sign_in(phone, live_server, username)
    phone.locator(f'a[href="#/jobs/{order_id}"]').click()
    with phone.expect_download(timeout=30000) as download:
        phone.get_by_role("button", name="客户联 PDF").click()
        expect(phone.locator(".slip-card__message")).to_have_text("正在生成服务单 PDF…")
        work(queued)
    assert download.value.suggested_filename.endswith("客户联.pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
