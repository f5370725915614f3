"""A 测温 order on the phone (000 七–八): 一修 cannot be skipped nor done without a reading; each reading
shows when it was taken and the standard then; the customer signs the readings and whether the flat meets
the standard; the order page on the desk says the same."""
import json
import re

import pytest
from playwright.sync_api import expect

from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.service_slips.models import Slip
from app.visits.services import ensure_default_photo_rules
from tests import factories
from tests.conftest import open_desk
from tests.field.conftest import all_day_standard
from tests.field.phone import STEPS, add_reading, expect_synced, on_step, shoot, sign_slip, take_photo, walk
from tests.field.test_visit_browser import arrive


@pytest.fixture
def measuring_job(app):
    with app.app_context():
        ensure_default_policies()
        ensure_default_photo_rules()
        area = factories.area()
        tech = factories.technician(area, username="T9001", name="王建国")
        dispatcher = factories.user("dispatcher", username="dispatcher")
        all_day_standard(dispatcher)
        home = factories.household(factories.estate(area, name="幸福里"), name="李秀英", phone="13812345678")
        order = factories.work_order(home, category="temperature_check", actor=dispatcher, technician_=tech,
                                     description="来信:室温长期达不到 18 度,申请测温")
        db.session.commit()
        return {"order": order.id}


def test_a_temperature_check_is_measured_and_the_customer_signs_the_readings(app, live_server, phone, browser,
                                                                          measuring_job, photo_file):
    arrive(phone, live_server, measuring_job["order"])
    walk(phone, STEPS[:6], photo_file)
    on_step(phone, "repair")
    expect(phone.get_by_role("button", name="跳过此步")).to_have_count(0)
    expect(phone.get_by_role("heading", name="室温测量(测温工单,必填)")).to_be_visible()
    expect(phone.locator("#reading-standard")).to_have_text("标准:全天不低于 18 °C")
    take_photo(phone, "repair", "before", photo_file)
    take_photo(phone, "repair", "after", photo_file)
    phone.get_by_role("radio", name=re.compile("公司产权")).click()
    phone.get_by_label("故障诊断").fill("卧室暖气片上部不热,有空气")
    phone.get_by_label("维修结果").fill("排气后复测,室温回升")
    expect(phone.locator("#step-blockers")).to_have_text("完成此步前还需:测量并记录室温")
    add_reading(phone, "卧室", "17.6")
    cold = phone.locator(".reading").filter(has_text="卧室")
    expect(cold.locator(".reading__time")).to_have_text(re.compile(r"^\d{2}:\d{2} 测$"))
    expect(cold.locator(".tag--low")).to_have_text("低于 18 °C")
    expect(phone.locator("#step-blockers")).to_be_hidden()
    shoot(phone, "temperature-readings")
    phone.get_by_role("button", name="完成此步").click()
    walk(phone, ["clean_up"], photo_file)

    on_step(phone, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    review = phone.locator(".slip")
    expect(review).to_contain_text("卧室17.6 °C")
    expect(review.locator(".notice--error")).to_have_text("结论:室温未达标")
    shoot(phone, "temperature-slip")
    phone.go_back()
    sign_slip(phone)
    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()
    expect_synced(phone)

    with app.app_context():
        slip = db.session.execute(db.select(Slip)).scalar_one()
        content = json.loads(slip.content)
    assert [(r["room"], r["tenths"], r["minimum_tenths"]) for r in content["readings"]] == [("bedroom", 176, 180)]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", content["readings"][0]["measured_at"])

    desk = open_desk(browser, live_server, "dispatcher")
    desk.goto(f"{live_server}/work-orders/{measuring_job['order']}")
    readings = desk.locator("#readings")
    expect(readings).to_contain_text("本户室温未达标")
    expect(readings).to_contain_text(f"已经客户签字确认(服务单 {slip.serial})")
    line = re.compile(r"卧室 17\.6 °C · \d\d-\d\d \d\d:\d\d 测 · 标准 18 °C · 未达标")
    expect(readings.locator("li")).to_contain_text(line)
