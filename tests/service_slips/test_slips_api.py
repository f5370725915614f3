"""Slips over HTTP: signing as a phone command, who may see, print, void; the public verification page."""
import re
import uuid

import pytest

from app.auth.models import User
from app.extensions import db
from app.service_slips.models import Slip
from tests.service_slips.conftest import as_json, as_user, choices, signed_as_phone


def sign_command(app, shop, **wanted):
    with app.app_context():
        from app.price_list.models import PriceListVersion
        from app.work_orders.models import WorkOrder

        order, tech = db.session.get(WorkOrder, shop["order"]), db.session.get(User, shop["tech"])
        version = db.session.get(PriceListVersion, shop["version"])
        payload = as_json(signed_as_phone(tech, order, choices(version, **wanted)))
        db.session.rollback()
    return {"client_uuid": str(uuid.uuid4()), "type": "sign_slip", "work_order_id": shop["order"], "payload": payload}


def test_a_phone_signs_with_a_command_and_a_replay_changes_nothing(app, client, shop):
    command = sign_command(app, shop, lines=[("PJ-002", "1", "customer")], method="cash", collected=3000)
    as_user(client, shop["tech"])
    first = client.post("/api/v1/commands", json=command)
    assert first.status_code == 200, first.get_json()
    slip = first.get_json()["work_order"]["slip"]
    assert re.fullmatch(r"CD-\d{4}-000002", slip["serial"]) and slip["total_fen"] == 3000
    assert slip["content_sha256"] == command["payload"]["content_sha256"]
    again = client.post("/api/v1/commands", json=command)
    assert again.get_json()["work_order"]["slip"]["serial"] == slip["serial"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Slip.id))).scalar() == 2


def test_a_command_whose_content_was_changed_after_signing_is_refused_and_kept(app, client, shop):
    command = sign_command(app, shop, lines=[("PJ-002", "1", "customer")], method="cash", collected=3000)
    command["payload"]["feedback"]["comment"] = "改过的意见"  # not what the customer signed: the hash says so
    as_user(client, shop["tech"])
    answer = client.post("/api/v1/commands", json=command)
    assert answer.status_code == 409
    assert answer.get_json()["error"] == "slip_mismatch" and list(answer.get_json()["fields"]) == ["feedback"]
    from app.commands.services import refused_for

    with app.app_context():
        assert [c.type for c in refused_for(shop["order"])] == ["sign_slip"]


def test_the_bundle_carries_the_slip_terms_and_the_signed_slip(client, shop):
    bundle = as_user(client, shop["signed_tech"]).get("/api/v1/me/bundle").get_json()
    assert bundle["slip_terms"]["clause"].startswith("本服务单")
    assert bundle["slip_terms"]["payment_methods"]["wechat"] == "微信支付"
    assert bundle["price_list_version_id"] == shop["version"]
    (job,) = bundle["jobs"]
    assert job["slip"]["status"] == "signed" and job["slip"]["customer_copy_url"].endswith("?copy=customer")


# (method, path, expected status for: anonymous, signing technician, other technician, dispatcher, back office, admin)
MATRIX = [
    ("GET", "/api/v1/slips/{slip}", (401, 200, 404, 200, 200, 200)),
    ("GET", "/api/v1/slips/{slip}/pdf?copy=customer", (401, 200, 404, 200, 200, 200)),
    ("POST", "/api/v1/slips/{slip}/token", (401, 403, 403, 403, 200, 200)),
    ("POST", "/api/v1/slips/{slip}/void", (401, 403, 403, 200, 200, 200)),
    ("POST", "/slips/{slip}/token", (302, 403, 403, 403, 302, 302)),
    ("POST", "/slips/{slip}/void", (302, 403, 403, 302, 302, 302)),
    ("GET", "/v/{token}", (200, 200, 200, 200, 200, 200)),
]
WHO = ("anonymous", "signed_tech", "other_tech", "dispatcher", "back_office", "admin")


@pytest.mark.parametrize(("method", "path", "who", "status"),
                         [(m, p, who, s) for m, p, statuses in MATRIX for who, s in zip(WHO, statuses, strict=True)])
def test_who_may_see_print_and_void_a_slip(client, shop, method, path, who, status):
    if who != "anonymous":
        as_user(client, shop[who])
    url = path.format(**shop)
    body = {"reason": "数量录错"} if url.startswith("/api") else {"reason": "数量录错", "confirmed": "yes"}
    response = client.open(url, method=method, json=body if url.startswith("/api") else None,
                           data=None if url.startswith("/api") else body)
    assert response.status_code == status, response.get_data(as_text=True)[:300]


def test_the_pdf_is_a_pdf_named_by_its_serial(client, shop):
    response = as_user(client, shop["signed_tech"]).get(f"/api/v1/slips/{shop['slip']}/pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert re.search(r'filename="CD-\d{4}-000001.pdf"', response.headers["Content-Disposition"])


def test_the_verification_page_shows_the_slip_without_personal_data(client, shop):
    page = client.get(f"/v/{shop['token']}").get_data(as_text=True)
    assert re.search(r"CD-\d{4}-000001", page) and "真实有效" in page and "¥30.00" in page and "城东分公司" in page
    for personal in ("王秀兰", "13800000001", "3号楼", "501", "阀门锈死"):
        assert personal not in page


def test_the_customer_rates_once(app, client, shop):
    url = f"/v/{shop['token']}"
    assert client.post(url, data={"satisfaction": "satisfied", "comment": "很好"}).status_code == 303
    assert "感谢您的评价" in client.get(url + "?rated=1").get_data(as_text=True)
    second = client.post(url, data={"satisfaction": "dissatisfied"})
    assert second.status_code == 409 and "已经评价" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Slip, shop["slip"]).rating.satisfaction == "satisfied"


def test_a_rating_without_a_choice_is_refused_and_nothing_is_kept(app, client, shop):
    answer = client.post(f"/v/{shop['token']}", data={"satisfaction": "", "comment": "x"})
    assert answer.status_code == 422 and "评价有误" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Slip, shop["slip"]).rating is None


def test_a_revoked_token_no_longer_opens_the_page_and_its_replacement_does(client, shop):
    renewed = as_user(client, shop["back_office"]).post(f"/api/v1/slips/{shop['slip']}/token")
    assert renewed.status_code == 200
    assert client.get(f"/v/{shop['token']}").status_code == 404
    with client.application.app_context():
        token = db.session.get(Slip, shop["slip"]).verify_token
    assert token != shop["token"] and client.get(f"/v/{token}").status_code == 200


def test_a_voided_slip_says_so_on_the_verification_page(client, shop):
    as_user(client, shop["dispatcher"]).post(f"/api/v1/slips/{shop['slip']}/void", json={"reason": "录错"})
    assert "已作废" in client.get(f"/v/{shop['token']}").get_data(as_text=True)


def test_the_verification_page_is_rate_limited(client, shop):
    statuses = [client.get(f"/v/not-a-real-token-{n}").status_code for n in range(25)]
    assert statuses[:20] == [404] * 20 and statuses[-1] == 429


def test_a_reprint_after_voiding_shows_the_void(client, shop, tmp_path):
    import subprocess

    def printed_text():
        path = tmp_path / "slip.pdf"
        path.write_bytes(client.get(f"/api/v1/slips/{shop['slip']}/pdf?copy=customer").data)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return text.replace(" ", "")  # headings are letter-spaced: 已 作 废

    as_user(client, shop["dispatcher"])
    assert "已作废" not in printed_text()
    client.post(f"/api/v1/slips/{shop['slip']}/void", json={"reason": "数量录错"})
    assert "已作废" in printed_text() and "数量录错" in printed_text()


def test_the_qr_code_on_the_customer_copy_opens_the_verification_page(app, client, shop, tmp_path):
    """What a customer's phone camera does: read the printed QR code and open the address it holds."""
    import subprocess
    from urllib.parse import urlsplit

    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(as_user(client, shop["signed_tech"]).get(f"/api/v1/slips/{shop['slip']}/pdf?copy=customer").data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    url = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True,
                         check=True).stdout.strip()
    customer = app.test_client()  # nobody signed in, like a customer's phone
    page = customer.get(urlsplit(url).path)
    assert page.status_code == 200 and "真实有效" in page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
    rated = customer.post(urlsplit(url).path, data={"satisfaction": "satisfied", "csrf_token": token})
    assert rated.status_code == 303


@pytest.mark.parametrize("who", ["back_office", "admin"])
def test_the_back_office_scanning_returned_copies_is_not_rate_limited(client, shop, who):
    """The whole office scans third copies from behind one address; each scan opens the page and posts."""
    as_user(client, shop[who])
    assert {client.get(f"/v/{shop['token']}").status_code for _ in range(25)} == {200}
    customer = client.application.test_client()  # same address, nobody signed in: still limited, not yet spent
    assert customer.get(f"/v/{shop['token']}").status_code == 200


def test_a_signed_in_technician_is_still_rate_limited(client, shop):
    as_user(client, shop["signed_tech"])
    assert [client.get(f"/v/{shop['token']}").status_code for _ in range(21)][-1] == 429


@pytest.mark.parametrize("who", ["back_office", "signed_tech", "dispatcher"])
def test_staff_see_no_rating_form_and_cannot_rate_for_the_customer(app, client, shop, who):
    as_user(client, shop[who])
    page = client.get(f"/v/{shop['token']}").get_data(as_text=True)
    assert "评价由客户本人填写" in page and 'name="satisfaction"' not in page
    refused = client.post(f"/v/{shop['token']}", data={"solved": "yes", "satisfaction": "satisfied"})
    assert refused.status_code == 403 and "不能代客户评价" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Slip, shop["slip"]).rating is None


def test_voiding_on_the_desk_asks_to_confirm_with_the_reason_before_anything_changes(app, client, shop):
    as_user(client, shop["back_office"])
    asked = client.post(f"/slips/{shop['slip']}/void", data={"reason": "数量录错,需重新开具"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "确认作废" in page and "数量录错,需重新开具" in page
    with app.app_context():
        assert db.session.get(Slip, shop["slip"]).status == "signed"
    done = client.post(f"/slips/{shop['slip']}/void", data={"reason": "数量录错,需重新开具", "confirmed": "yes"})
    assert done.status_code == 302
    with app.app_context():
        slip = db.session.get(Slip, shop["slip"])
        assert slip.status == "voided" and slip.void_reason == "数量录错,需重新开具"


def test_a_void_without_a_reason_is_not_even_asked(app, client, shop):
    as_user(client, shop["back_office"])
    answer = client.post(f"/slips/{shop['slip']}/void", data={"reason": "  "})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Slip, shop["slip"]).status == "signed"


@pytest.mark.parametrize("token", ["no-such-token", "x" * 65])
def test_a_stale_or_wrong_qr_code_gets_a_customers_page_with_the_hotline(app, client, token):
    answer = client.get(f"/v/{token}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "无法验证这张服务单" in page
    assert f'href="tel:{app.config["SHIFU_HOTLINE"]}"' in page
    assert "登录" not in page and "客服调度台" not in page and "返回首页" not in page


def test_a_customer_who_rated_on_the_phone_is_not_asked_again_only_whether_it_came_back(app, client, shop):
    with app.app_context():
        slip = db.session.get(Slip, shop["slip"])
        token, given = slip.verify_token, slip.satisfaction
    page = client.get(f"/v/{token}").get_data(as_text=True)
    assert "签字时已评价" in page and "您对本次上门服务满意吗" not in page and "问题是否已解决" in page
    answer = client.post(f"/v/{token}", data={"solved": "no", "satisfaction": given, "comment": "又不热了",
                                              "csrf_token": client.csrf_token()})
    assert answer.status_code == 303
    with app.app_context():
        rating = db.session.get(Slip, shop["slip"]).rating
        assert (rating.solved, rating.satisfaction, rating.comment) == (False, given, "又不热了")
