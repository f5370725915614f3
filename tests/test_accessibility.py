"""Every screen — desk, phone, public — passes axe-core's WCAG 2 A and AA checks with no violation. A new
screen joins by adding a line to DESK, PUBLIC or PHONE. The demo company is loaded once for the module."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.branches.models import Area
from app.callbacks.models import Callback
from app.demo import data
from app.demo.loader import load_demo
from app.extensions import db
from app.localtime import local_today
from app.price_list.models import PriceListVersion
from app.service_slips.models import Slip
from app.work_orders.models import WorkOrder
from tests import factories
from tests.conftest import CHROMIUM_ARGS, _empty_tables
from tests.field.phone import STEPS, camera_jpeg, on_step, record_repair, walk

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# (screen, who signs in, path): {…} is filled from the demo's ids
DESK = [
    ("login", None, "/login"),
    ("board", "dispatcher", "/dispatch/board"),
    ("intake", "dispatcher", "/dispatch/intake"),
    ("order list", "dispatcher", "/work-orders"),
    ("open order", "dispatcher", "/work-orders/{open_order}"),
    ("finished order with slips", "backoffice", "/work-orders/{slip_order}"),
    ("search", "dispatcher", "/search?q=13"),
    ("callback queue", "backoffice", "/callbacks"),
    ("callback", "backoffice", "/callbacks/{callback}"),
    ("KPIs", "backoffice", "/kpis"),
    ("KPI orders", "backoffice", "/kpis/orders?kpi=repair_timeliness"),
    ("price lists", "admin", "/price-list"),
    ("price list", "admin", "/price-list/{price_list}"),
    ("reconciliation", "backoffice", "/reconciliation"),
    ("serials", "backoffice", "/reconciliation/serials"),
    ("copies", "backoffice", "/reconciliation/copies"),
    ("money", "backoffice", "/reconciliation/money"),
    ("technician's day", "backoffice", "/reconciliation/money/{technician}/{today}"),
    ("clocks", "admin", "/admin/clocks"),
    ("holiday calendar", "admin", "/admin/calendar"),
    ("photo rules", "admin", "/admin/photo-rules"),
    ("room standard", "admin", "/admin/room-standard"),
    ("temperature report", "backoffice", "/reports/temperature"),
    ("organisation", "admin", "/admin/organisation"),
    ("area", "admin", "/admin/organisation/areas/{area}"),
    ("staff", "admin", "/admin/staff"),
    ("technician's record", "admin", "/admin/staff/{technician}"),
    ("new staff", "admin", "/admin/staff/new"),
    ("own password", "dispatcher", "/account/password"),
    ("households", "dispatcher", "/households"),
    ("household file", "dispatcher", "/households/{household}"),
    ("household import", "admin", "/households/imports"),
    ("background jobs", "admin", "/admin/jobs"),
    ("stock", "kuguan", "/stock"),
    ("stock movements", "kuguan", "/stock/movements"),
    ("materials", "admin", "/materials"),
    ("new material", "admin", "/materials/new"),
    ("materials report", "backoffice", "/reports/materials"),
]
PUBLIC = [
    ("slip verified", "/v/{token}"),
    ("slip not found", "/v/no-such-code"),
]
# (screen, hash of the field app, a text that shows it is drawn)
PHONE = [
    ("my jobs", "#/jobs", "我的工单"),
    ("job", "#/jobs/{field_order}", "工单详情"),
    ("visit step", "#/jobs/{field_order}/visit", "入户服务"),
    ("refused records", "#/refused", "被退回的记录"),
    ("change password", "#/password", "修改密码"),
]


@pytest.fixture(autouse=True)
def _empty_database():
    """The demo stays for the whole module (loaded once); it is emptied at the module's end."""
    yield


@pytest.fixture(scope="module")
def demo(app):
    with app.app_context():
        load_demo(lambda _line: None)
        slip = db.session.execute(db.select(Slip).order_by(Slip.id)).scalars().first()
        ids = {
            "open_order": db.session.execute(db.select(WorkOrder.id).filter_by(status="dispatched")).scalars().first(),
            "slip_order": slip.work_order_id, "token": slip.verify_token, "technician": slip.technician_id,
            "callback": db.session.execute(db.select(Callback.id).order_by(Callback.id)).scalars().first(),
            "price_list": db.session.execute(db.select(PriceListVersion.id)).scalars().first(),
            "field_order": db.session.execute(db.select(WorkOrder.id).filter_by(status="on_site")
                                              .join(WorkOrder.technician).where(
                                                  WorkOrder.technician.has(username="T1001"))).scalars().first(),
            "today": local_today().isoformat(),
            "area": db.session.execute(db.select(Area.id).order_by(Area.id)).scalars().first(),
            "household": db.session.get(WorkOrder, slip.work_order_id).household_id,
        }
        db.session.commit()
    yield ids
    with app.app_context():
        db.session.remove()
        _empty_tables()


@pytest.fixture(scope="module")
def axe_browser(playwright):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def violations(page):
    result = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]


def signed_in(browser, live_server, username, viewport):
    # bypass_csp: axe is injected as a script, which the app's strict CSP would (rightly) refuse.
    page = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True).new_page()
    if username:
        page.goto(f"{live_server}/login")
        page.get_by_label("用户名 / 工号").fill(username)
        page.get_by_label("密码").fill(data.PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.mark.parametrize(("screen", "username", "path"), DESK, ids=[s[0] for s in DESK])
def test_every_desk_screen_passes_wcag_2_aa(live_server, axe_browser, demo, screen, username, path):
    page = signed_in(axe_browser, live_server, username, {"width": 1366, "height": 768})
    answer = page.goto(live_server + path.format(**demo))
    assert answer.status == 200, screen
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], screen
    page.context.close()


@pytest.mark.parametrize(("screen", "path"), PUBLIC, ids=[s[0] for s in PUBLIC])
def test_every_public_screen_passes_wcag_2_aa(live_server, axe_browser, demo, screen, path):
    page = signed_in(axe_browser, live_server, None, {"width": 390, "height": 844})
    page.goto(live_server + path.format(**demo))
    assert violations(page) == [], screen
    page.context.close()


@pytest.mark.parametrize(("screen", "route", "shows"), PHONE, ids=[s[0] for s in PHONE])
def test_every_phone_screen_passes_wcag_2_aa(live_server, axe_browser, demo, screen, route, shows):
    page = signed_in(axe_browser, live_server, None, {"width": 390, "height": 844})
    page.goto(f"{live_server}/field/")
    page.get_by_label("工号").fill("T1001")
    page.get_by_label("密码").fill(data.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#screen-title")).to_have_text("我的工单")
    page.goto(f"{live_server}/field/{route.format(**demo)}")
    expect(page.locator("#screen-title")).to_have_text(re.compile(shows))
    assert violations(page) == [], screen
    page.context.close()


def test_the_phone_login_passes_wcag_2_aa(live_server, axe_browser, demo):
    page = signed_in(axe_browser, live_server, None, {"width": 390, "height": 844})
    page.goto(f"{live_server}/field/")
    expect(page.get_by_label("工号")).to_be_visible()
    assert violations(page) == []
    page.context.close()


def test_the_phone_screens_a_visit_walks_to_pass_wcag_2_aa(app, live_server, axe_browser, demo, tmp_path):
    """The screens reached only by doing a visit: 一修 of a 测温 order (repair, readings against the standard,
    damage), then the slip the customer reviews, rates and signs."""
    with app.app_context():
        order = db.session.get(WorkOrder, demo["field_order"])
        technician, household = order.technician, order.household
        measuring = factories.work_order(household, category="temperature_check", technician_=technician,
                                         description="来信:室温长期达不到 18 度,申请测温")
        factories.advance(measuring, technician, "accept", "depart", "arrive")
        measuring_id = measuring.id
        db.session.commit()
    photo = tmp_path / "IMG_20261206_101500.jpg"
    photo.write_bytes(camera_jpeg())
    page = signed_in(axe_browser, live_server, None, {"width": 390, "height": 844})
    page.goto(f"{live_server}/field/")
    page.get_by_label("工号").fill("T1001")
    page.get_by_label("密码").fill(data.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#screen-title")).to_have_text("我的工单")
    page.goto(f"{live_server}/field/#/jobs/{measuring_id}/visit")
    walk(page, STEPS[:6], photo)
    record_repair(page, photo)
    expect(page.get_by_role("heading", name="室温测量(测温工单,必填)")).to_be_visible()
    assert violations(page) == [], "一修 of a 测温 order"
    page.get_by_role("button", name="完成此步").click()
    walk(page, ["clean_up"], photo)
    on_step(page, "goodbye")
    page.get_by_role("link", name="请客户签署服务单").click()
    expect(page.locator(".slip")).to_contain_text("卧室17.5 °C")
    assert violations(page) == [], "the slip the customer reviews"
    page.get_by_role("button", name="下一步:服务评价").click()
    expect(page.get_by_role("radio", name="满意", exact=True)).to_be_visible()
    assert violations(page) == [], "the customer's rating"
    page.get_by_role("radio", name="满意", exact=True).click()
    page.get_by_role("button", name="下一步:客户签名").click()
    expect(page.locator("#signature-customer")).to_be_visible()
    assert violations(page) == [], "the customer's signature"
    page.context.close()
