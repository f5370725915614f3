"""Materials on the phone, end to end (issue 11): with no signal, a free repair records two materials the
company bears and a paid visit charges a valve from company stock; back online, the van went down by exactly
those amounts once, each slip shows them, and the month's report and reconciliation split the cost."""
import json
import re

import pytest
from playwright.sync_api import expect

from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.kpis.months import current_month
from app.materials import reports
from app.materials import services as stock
from app.materials.models import Material, StockLocation, StockMovement
from app.service_slips.models import Slip
from app.visits.services import ensure_default_photo_rules
from tests import factories
from tests.conftest import open_desk
from tests.field.conftest import all_day_standard
from tests.field.phone import (
    STEPS,
    draw,
    expect_synced,
    forgive_network_errors,
    on_step,
    shoot,
    sign_slip,
    take_photo,
    walk,
    worker_ready,
)
from tests.field.test_visit_browser import arrive
from tests.materials.conftest import add_materials, linked_price_list, stock_van


@pytest.fixture
def rounds(app):
    """王建国 (T9001) of 城东分公司 with a stocked van, a free repair and a paid valve replacement to do."""
    with app.app_context():
        ensure_default_policies()
        ensure_default_photo_rules()
        admin = factories.user("admin")
        all_day_standard(admin)
        branch = factories.branch(code="CD", name="城东分公司")
        area = factories.area(branch)
        tech = factories.technician(area, username="T9001", name="王建国")
        materials = add_materials()
        linked_price_list(admin, materials)
        stock_van(admin, branch, tech, materials)
        factories.user("back_office", username="kefu")

        def order(category, description):
            home = factories.household(factories.estate(area))
            return factories.work_order(home, category=category, technician_=tech, description=description).id

        ids = {"free": order("repair", "暖气不热,过滤器可能堵了"), "paid": order("paid_service", "想换一个新球阀"),
               "tech": tech.id, "materials": {code: m.id for code, m in materials.items()}}
        db.session.commit()
    return ids


def choose_material(phone, name):
    value = phone.locator("#material-choice option").filter(has_text=name).get_attribute("value")
    phone.get_by_label("材料", exact=True).select_option(value)


def use_material(phone, name, quantity):
    choose_material(phone, name)
    phone.get_by_label("数量", exact=True).fill(quantity)
    phone.get_by_role("button", name="记录用料").click()
    expect(phone.locator(".material-used").filter(has_text=name)).to_contain_text("待上传")


def free_repair_with_materials(phone, photo):
    on_step(phone, "repair")
    take_photo(phone, "repair", "before", photo)
    take_photo(phone, "repair", "after", photo)
    phone.get_by_role("radio", name=re.compile("公司产权")).click()
    phone.get_by_label("故障诊断").fill("入户过滤器滤网堵塞")
    phone.get_by_label("维修结果").fill("更换滤网,缠生料带复位,暖气已热")
    use_material(phone, "过滤器滤网", "1")
    phone.get_by_label("数量", exact=True).fill("1.5")  # a 卷 of 生料带 is counted whole
    choose_material(phone, "生料带")
    phone.get_by_role("button", name="记录用料").click()
    expect(phone.locator("#material-error")).to_contain_text("数量须为整数")
    use_material(phone, "生料带", "1")
    phone.locator(".materials").scroll_into_view_if_needed()
    shoot(phone, "materials-repair")
    phone.get_by_role("button", name="完成此步").click()


def paid_valve_from_company_stock(phone, photo):
    on_step(phone, "repair")
    take_photo(phone, "repair", "before", photo)
    take_photo(phone, "repair", "after", photo)
    phone.get_by_role("radio", name=re.compile("客户产权")).click()
    phone.get_by_role("radio", name="有偿服务", exact=True).click()
    phone.get_by_label("故障诊断").fill("户内球阀锈死")
    phone.get_by_label("维修结果").fill("更换公司提供的铜球阀,试压无渗漏")
    phone.get_by_role("link", name="开始报价").click()
    phone.get_by_label("添加项目:搜索价目表").fill("球阀")
    phone.locator('.price-item[data-code="PJ-002"]').click()
    phone.get_by_role("button", name="请客户确认").click()
    expect(phone.locator("#quote-total")).to_have_text("¥45.00")
    phone.get_by_role("button", name="同意报价").click()
    on_step(phone, "repair")
    phone.get_by_role("button", name="完成此步").click()


def sign_paid_slip(phone):
    """The paid slip: paid in cash, then as any slip (feedback, both signatures)."""
    on_step(phone, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    expect(phone.locator("#quote-total")).to_have_text("¥45.00")
    phone.get_by_role("radio", name="现金").click()
    phone.get_by_role("button", name="下一步:服务评价").click()
    phone.get_by_role("radio", name="满意", exact=True).click()
    phone.get_by_role("button", name="下一步:客户签名").click()
    draw(phone, "customer")
    phone.get_by_role("button", name="下一步:维修人员签名").click()
    draw(phone, "technician")
    phone.get_by_role("button", name="确认签名").click()
    on_step(phone, "goodbye")


def visit_offline(phone, live_server, order_id, repair, photo, signed_in=False):
    if signed_in:
        phone.goto(f"{live_server}/field/#/jobs")
        phone.locator(f'a[href="#/jobs/{order_id}"]').click()
        for action in ("接单", "出发", "到场"):
            phone.get_by_role("button", name=action, exact=True).click()
        on_step(phone, "knock")
    else:
        arrive(phone, live_server, order_id)
    expect_synced(phone)
    worker_ready(phone)
    phone.context.set_offline(True)
    walk(phone, STEPS[:6], photo)
    repair(phone, photo)


def test_an_offline_day_of_materials_reaches_the_van_the_slips_and_the_month_once(
        app, live_server, phone, browser, rounds, photo_file):
    visit_offline(phone, live_server, rounds["free"], free_repair_with_materials, photo_file)
    walk(phone, ["clean_up"], photo_file)
    on_step(phone, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    borne = phone.locator(".slip-section").filter(has_text="公司承担材料")
    expect(borne).to_contain_text("过滤器滤网 DN20 × 1 片")
    expect(borne).to_contain_text("生料带 20 m × 1 卷")
    borne.scroll_into_view_if_needed()
    shoot(phone, "materials-slip-review")
    phone.go_back()
    sign_slip(phone)
    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()
    expect(phone.locator(".summary .material-used")).to_have_count(2)
    phone.context.set_offline(False)
    expect_synced(phone)

    visit_offline(phone, live_server, rounds["paid"], paid_valve_from_company_stock, photo_file, signed_in=True)
    walk(phone, ["clean_up"], photo_file)
    sign_paid_slip(phone)
    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()
    phone.context.set_offline(False)
    expect_synced(phone)
    phone.reload()  # a reload and a resync send nothing twice
    expect_synced(phone)
    forgive_network_errors(phone)

    with app.app_context():
        van = db.session.execute(db.select(StockLocation).filter_by(technician_id=rounds["tech"])).scalar_one()
        held = {code: stock.on_hand(van, db.session.get(Material, material_id))
                for code, material_id in rounds["materials"].items()}
        assert held == {"PJ-002": 400, "CL-010": 500, "WX-001": 400, "CL-003": 400}
        assert all(held[code] == stock.ledger_sum(van, db.session.get(Material, m))
                   for code, m in rounds["materials"].items())
        consumed = db.session.execute(db.select(StockMovement).filter_by(kind="consume")).scalars().all()
        assert sorted((m.material.code, m.quantity_centi, m.charged) for m in consumed) == [
            ("CL-003", 100, False), ("PJ-002", 100, True), ("WX-001", 100, False)]
        free_slip = db.session.execute(db.select(Slip).filter_by(work_order_id=rounds["free"])).scalar_one()
        assert [(m["code"], m["quantity_centi"]) for m in json.loads(free_slip.content)["company_materials"]] == [
            ("CL-003", 100), ("WX-001", 100)]
        paid = db.session.execute(db.select(Slip).filter_by(work_order_id=rounds["paid"])).scalar_one()
        assert [line["code"] for line in json.loads(paid.content)["lines"]] == ["PJ-002"]
        split = reports.by_technician(reports.usage(current_month()))
        assert split == [("城东分公司", "王建国", 2700, 800 + 120)]
        assert (reports.reconcile(current_month()).slips, reports.reconcile(current_month()).matched) == (2, 2)

    desk = open_desk(browser, live_server, "kefu")
    desk.goto(f"{live_server}/reports/materials")
    people = desk.locator("section").filter(has_text="按维修师傅")
    expect(people.locator("tbody tr")).to_have_text(re.compile(r"王建国\s*¥27\.00\s*¥9\.20\s*¥36\.20"))
    expect(desk.locator("section").filter(has_text="材料对账")).to_contain_text("相符 2 张,不符 0 张")
    assert desk.problems == []
