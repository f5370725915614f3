"""The slip on the phone: a paid-service quote the customer agrees to, both signatures, 一别, and the
server keeping the slip the customer signed (same hash), online and offline."""
import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.clocks.services import ensure_default_policies
from app.commands.models import Command
from app.extensions import db
from app.price_list import services as price_list
from app.service_slips.models import Slip
from app.visits.services import ensure_default_photo_rules
from app.work_orders.models import WorkOrder
from tests import factories
from tests.field.conftest import all_day_standard
from tests.field.phone import (
    STEPS,
    draw,
    expect_synced,
    forgive_network_errors,
    on_step,
    phone_data,
    shoot,
    sign_in,
    take_photo,
    walk,
    worker_ready,
)
from tests.field.test_visit_browser import arrive
from tests.price_list.conftest import BASIC_FEE, draft

OWN_VALVE = {"code": "FM-DN20", "name": "铜截止阀", "specification": "DN20", "unit": "个", "category": "equipment",
             "price_fen": 6800, "is_basic_labour_fee": False}
PIPE = {"code": "CL-PPR20", "name": "PP-R 热水管", "specification": "DN20", "unit": "米", "category": "material",
        "price_fen": 1250, "is_basic_labour_fee": False}
LABOUR_TERMS = ("同一部位同一故障免费返修", 3)
AFTER_SALES = "基本人工费:保修 3 个月,同一部位同一故障免费返修"
PORTRAIT = {"width": 390, "height": 844}
LANDSCAPE = {"width": 844, "height": 390}


@pytest.fixture
def paid_job(app):
    """王建国 (T9001) on his way to a paid-service order of 城东分公司, with the price list in force."""
    with app.app_context():
        ensure_default_policies()
        ensure_default_photo_rules()
        admin = factories.user("admin")
        all_day_standard(admin)
        version = draft(admin, items=(OWN_VALVE, PIPE, BASIC_FEE))
        price_list.set_category_terms(admin, version, {"labour": LABOUR_TERMS})
        price_list.publish(admin, version, price_list.local_today())
        area = factories.area(factories.branch(code="CD", name="城东分公司"))
        tech = factories.technician(area, username="T9001", name="王建国")
        home = factories.household(factories.estate(area, name="阳光小区"), name="王秀兰", phone="13800000000",
                                   building="3", unit="2", room="501")
        order = factories.work_order(home, category="paid_service", technician_=tech,
                                     description="想更换暖气阀门,原来的阀门锈死")
        db.session.commit()
        return {"order": order.id, "number": order.number}


def ink(phone, party):
    """Pixels with ink on the pad's canvas, as it is drawn now."""
    return phone.evaluate("""(id) => {
        const canvas = document.getElementById(id);
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 128) count += 1;
        return count;
    }""", f"signature-{party}")


def canvas_width(phone):
    return phone.evaluate("() => document.getElementById('signature-customer').width")


def quote_an_own_valve(phone, photo):
    """一修 on the customer's side, paid: the valve from the price list, which the customer brings."""
    on_step(phone, "repair")
    take_photo(phone, "repair", "before", photo)
    take_photo(phone, "repair", "after", photo)
    phone.get_by_role("radio", name=re.compile("客户产权")).click()
    phone.get_by_role("radio", name="有偿服务", exact=True).click()
    expect(phone.get_by_role("link", name="开始报价")).to_be_visible()
    phone.get_by_label("故障诊断").fill("卧室暖气片进水阀锈死,无法关闭")
    phone.get_by_label("维修结果").fill("更换进水阀(客户自备),试压无渗漏")
    expect(phone.get_by_role("button", name="完成此步")).to_be_disabled()
    expect(phone.locator("#step-blockers")).to_contain_text("客户同意报价")
    phone.get_by_role("link", name="开始报价").click()

    expect(phone.locator("#step-title")).to_have_text("一修报价")
    phone.get_by_label("添加项目:搜索价目表").fill("截止阀")
    expect(phone.locator(".price-item")).to_have_count(1)
    phone.locator('.price-item[data-code="FM-DN20"]').click()
    expect(phone.locator(".quote-line")).to_have_count(1)
    phone.get_by_role("button", name="铜截止阀增加").click()
    phone.get_by_role("button", name="铜截止阀减少").click()
    expect(phone.locator(".quote-line .stepper__value")).to_have_text("1 个")
    shoot(phone, "slip-quote")
    phone.get_by_role("button", name="请客户确认").click()

    expect(phone.get_by_role("heading", name="报价单 · 请您确认")).to_be_visible()
    expect(phone.locator("#quote-total")).to_have_text("¥68.00")
    phone.get_by_role("radio", name="自备").click()
    valve = phone.locator('.consent-line[data-code="FM-DN20"]')
    expect(valve.locator(".consent-line__amount")).to_have_text("¥0.00")
    fee = phone.locator('.consent-line[data-code="RG-001"]')
    expect(fee.locator(".consent-line__amount")).to_have_text("¥30.00")
    expect(phone.locator("#quote-total")).to_have_text("¥30.00")
    expect(phone.locator("#quote-capitals")).to_have_text("叁拾元整")
    shoot(phone, "slip-consent")
    phone.emulate_media(color_scheme="dark")  # a dark stairwell
    shoot(phone, "slip-consent-dark")
    phone.emulate_media(color_scheme="light")
    phone.get_by_role("button", name="同意报价").click()

    on_step(phone, "repair")
    expect(phone.locator(".quote-summary")).to_contain_text("客户已同意报价:合计 ¥30.00(叁拾元整)")
    phone.get_by_role("button", name="完成此步").click()


def sign_the_slip(phone, shots=False):
    """On 一别: the slip for the customer, paid by WeChat, 满意, both signatures."""
    on_step(phone, "goodbye")
    expect(phone.get_by_role("button", name="完成此步")).to_be_disabled()
    expect(phone.locator("#step-blockers")).to_contain_text("客户签署服务单")
    phone.get_by_role("link", name="请客户签署服务单").click()

    expect(phone.locator("#step-title")).to_have_text("客户服务单")
    expect(phone.locator("#quote-total")).to_have_text("¥30.00")
    phone.get_by_role("radio", name="微信支付").click()
    expect(phone.get_by_label("实收金额(元)")).to_have_value("30.00")
    expect(phone.locator(".after-sales")).to_have_text(AFTER_SALES)  # the valve is the customer's: no terms
    if shots:
        shoot(phone, "slip-review")
    phone.get_by_role("button", name="下一步:服务评价").click()

    expect(phone.get_by_role("button", name="下一步:客户签名")).to_be_disabled()
    phone.get_by_role("radio", name="满意", exact=True).click()
    phone.get_by_label(re.compile("意见或建议")).fill("  师傅很专业 👍  ")
    phone.get_by_role("button", name="下一步:客户签名").click()

    expect(phone.locator("#slip-clause")).to_contain_text("手写电子签名")
    expect(phone.locator(".after-sales")).to_have_text(AFTER_SALES)  # read above the customer's signature
    next_button = phone.get_by_role("button", name="下一步:维修人员签名")
    expect(next_button).to_be_disabled()  # a blank signature is refused
    draw(phone, "customer")
    expect(next_button).to_be_enabled()
    if shots:
        shoot(phone, "slip-signature")
    next_button.click()
    draw(phone, "technician", seed=2)


def test_a_customer_who_brings_the_valve_pays_labour_only_and_signs(app, live_server, phone, paid_job, photo_file):
    arrive(phone, live_server, paid_job["order"])
    walk(phone, STEPS[:6], photo_file)
    quote_an_own_valve(phone, photo_file)
    walk(phone, ["clean_up"], photo_file)
    sign_the_slip(phone, shots=True)
    phone.get_by_role("button", name="确认签名").click()

    on_step(phone, "goodbye")
    expect_synced(phone)
    # The customer's consent was for this slip: a replacement or a reopened order's next visit asks again.
    assert phone.evaluate(f"""async () => {{
        const {{ tx }} = await import("/static/js/offline/db.js");
        return tx(["meta"], "readonly", async (s) => [await s.meta.get("draft:{paid_job['order']}:quote"),
                                                       await s.meta.get("draft:{paid_job['order']}:slip")]);
    }}""") == [None, None]
    card = phone.locator(".slip-card")
    expect(card).to_contain_text(re.compile(r"服务单 CD-\d{4}-\d{6}"))
    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()
    expect_synced(phone)
    phone.locator(".slip-card").scroll_into_view_if_needed()
    shoot(phone, "slip-summary")

    with app.app_context():
        slip = db.session.execute(db.select(Slip)).scalar_one()
        command = db.session.execute(db.select(Command).filter_by(type="sign_slip")).scalar_one()
        assert command.payload["content_sha256"] == slip.content_sha256
        assert (slip.status, slip.total_fen, slip.payment_method, slip.collected_fen) == (
            "signed", 3000, "wechat", 3000)
        assert [(line.code, line.amount_fen, line.added_for_own_materials) for line in slip.quote.lines] == [
            ("FM-DN20", 0, False), ("RG-001", 3000, True)]
        assert slip.comment == "师傅很专业 👍"
        assert len(command.payload["content"]["photos"]) == 3
        assert json.loads(slip.content)["after_sales"] == [
            {"code": "RG-001", "name": "基本人工费", "terms": LABOUR_TERMS[0], "months": LABOUR_TERMS[1]}]
        serial = slip.serial
    expect(phone.locator(".slip-card__serial")).to_have_text(serial)

    with phone.expect_download() as download:
        phone.get_by_role("button", name="客户联 PDF").click()
    pdf = download.value
    assert pdf.suggested_filename == f"服务单{serial}-客户联.pdf"
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")
    response = phone.request.get(f"{live_server}/api/v1/slips/{slip.id}/pdf?copy=customer")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    with phone.expect_download() as download:
        phone.get_by_role("button", name="三联 PDF").click()
    pages = subprocess.run(["pdfinfo", download.value.path()], capture_output=True, text=True, check=True).stdout
    assert download.value.suggested_filename == f"服务单{serial}-三联.pdf" and re.search(r"Pages:\s+3\n", pages)


def test_signing_with_no_signal_is_sent_when_the_phone_is_back_online(app, live_server, phone, paid_job, photo_file):
    arrive(phone, live_server, paid_job["order"])
    walk(phone, STEPS[:6], photo_file)
    quote_an_own_valve(phone, photo_file)
    walk(phone, ["clean_up"], photo_file)
    expect_synced(phone)
    worker_ready(phone)

    phone.context.set_offline(True)
    sign_the_slip(phone)
    phone.get_by_role("button", name="确认签名").click()
    on_step(phone, "goodbye")
    expect(phone.locator(".slip-card")).to_contain_text("待上传")
    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()
    assert app_slips(app) == 0

    phone.context.set_offline(False)
    expect_synced(phone)
    with app.app_context():
        slip = db.session.execute(db.select(Slip)).scalar_one()
        assert slip.status == "signed" and db.session.get(WorkOrder, paid_job["order"]).status == "on_site"
    expect(phone.locator(".slip-card__serial")).to_have_text(slip.serial)
    forgive_network_errors(phone)


def app_slips(app):
    with app.app_context():
        return db.session.query(Slip).count()


def test_a_signature_survives_turning_the_phone_and_a_reload(live_server, phone, paid_job, photo_file):
    arrive(phone, live_server, paid_job["order"])
    walk(phone, STEPS[:6], photo_file)
    quote_an_own_valve(phone, photo_file)
    walk(phone, ["clean_up"], photo_file)
    on_step(phone, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    phone.get_by_role("radio", name="现金").click()
    phone.get_by_role("button", name="下一步:服务评价").click()
    phone.get_by_role("radio", name="基本满意").click()
    phone.get_by_role("button", name="下一步:客户签名").click()

    phone.locator("#signature-customer").click(position={"x": 40, "y": 40})  # a tap is not a signature
    expect(phone.get_by_role("button", name="下一步:维修人员签名")).to_be_disabled()
    draw(phone, "customer")
    before = ink(phone, "customer")
    assert before > 500

    for viewport in (LANDSCAPE, PORTRAIT):
        width = canvas_width(phone)
        phone.set_viewport_size(viewport)
        phone.wait_for_function("(w) => document.getElementById('signature-customer').width !== w", arg=width)
        phone.wait_for_timeout(100)  # the redraw waits for the next frame
        assert ink(phone, "customer") > 300
        if viewport is LANDSCAPE:
            shoot(phone, "slip-signature-landscape")

    phone.wait_for_timeout(400)  # the draft is written a moment after the stroke
    phone.reload()
    expect(phone.get_by_role("button", name="下一步:维修人员签名")).to_be_enabled()
    phone.wait_for_function("() => document.getElementById('signature-customer').width > 0")
    phone.wait_for_timeout(100)
    assert ink(phone, "customer") > 500
    phone.get_by_role("button", name="清除重签").click()
    expect(phone.get_by_role("button", name="下一步:维修人员签名")).to_be_disabled()
    assert ink(phone, "customer") == 0


@pytest.fixture
def voided(app):
    """A company-side repair whose free slip the desk voided (客户姓名写错): a new one is to be signed."""
    from app.service_slips import services as slips
    from tests.service_slips.conftest import choices, on_site_with_repair, signed_as_phone

    with app.app_context():
        ensure_default_photo_rules()
        admin = factories.user("admin")
        area = factories.area(factories.branch(code="CD", name="城东分公司"))
        order, tech = on_site_with_repair(area, category="repair", fault_location="company", resolution="free")
        first = slips.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
        slips.void(admin, first, "客户姓名写错")
        db.session.commit()
        return {"order": order.id, "username": tech.username, "serial": first.serial}


def test_a_voided_slip_is_replaced_by_a_new_signature_that_names_it(app, live_server, phone, voided):
    sign_in(phone, live_server, voided["username"])
    phone.locator(f'a[href="#/jobs/{voided["order"]}"]').click()
    card = phone.locator(".slip-card")
    expect(card).to_contain_text(f"服务单 {voided['serial']} 已作废")
    expect(card).to_contain_text("作废原因:客户姓名写错")
    phone.get_by_role("link", name="重新签署服务单").click()

    expect(phone.locator(".slip-free")).to_have_text("免费维修 · 无需付费")
    expect(phone.get_by_role("radio", name="微信支付")).to_have_count(0)
    phone.get_by_role("button", name="下一步:服务评价").click()
    phone.get_by_role("radio", name="不满意").click()
    phone.get_by_role("button", name="下一步:客户签名").click()
    draw(phone, "customer")
    phone.get_by_role("button", name="下一步:维修人员签名").click()
    draw(phone, "technician", seed=1)
    phone.get_by_role("button", name="确认签名").click()
    on_step(phone, "knock")  # back to the visit (nothing else recorded on the phone yet)
    expect_synced(phone)
    assert phone_data(phone)["refused"] == []

    with app.app_context():
        new = db.session.execute(db.select(Slip).filter_by(status="signed")).scalar_one()
        assert (new.replaces.serial, new.charged, new.payment_method, new.satisfaction) == (
            voided["serial"], False, "none", "dissatisfied")
        serial = new.serial
    phone.goto(f"{live_server}/field/#/jobs/{voided['order']}")
    expect(phone.locator(".slip-card__serial")).to_have_text(serial)


def test_the_amount_collected_and_the_way_paid_survive_an_immediate_reload(app, live_server, phone, paid_job,
                                                                           photo_file):
    """实收金额 is typed on the slip's first screen: a reload a tenth of a second later keeps it, as the
    comment and every field of the visit are kept (test_nothing_typed_is_lost)."""
    arrive(phone, live_server, paid_job["order"])
    walk(phone, STEPS[:6], photo_file)
    quote_an_own_valve(phone, photo_file)
    walk(phone, ["clean_up"], photo_file)
    on_step(phone, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    phone.get_by_role("radio", name="现金").click()
    collected = phone.get_by_label("实收金额(元)")
    collected.fill("")
    collected.press_sequentially("25.5")
    phone.wait_for_timeout(100)
    phone.reload()
    expect(phone.get_by_role("radio", name="现金")).to_be_checked()
    expect(phone.get_by_label("实收金额(元)")).to_have_value("25.5")
    expect(phone.get_by_role("button", name="下一步:服务评价")).to_be_enabled()
