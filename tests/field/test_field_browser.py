"""The technician's phone app, driven in a phone-sized Chromium against the live server."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from app.commands.models import Command
from app.extensions import db
from app.localtime import now_utc
from app.work_orders.appointments import set_appointment
from app.work_orders.models import WorkOrder
from tests import factories
from tests.field.phone import expect_synced, forgive_network_errors, on_step, shoot, sign_in


def test_technician_accepts_departs_and_arrives_at_an_urgent_leak(app, live_server, phone):
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area, username="T9001", name="王建国")
        other = factories.technician(area, username="T9002")
        estate = factories.estate(area, name="幸福里")
        complaint = factories.work_order(
            factories.household(estate, building="7", unit="1", room="302"), category="complaint",
            technician_=tech, description="师傅上次来没修好,态度也不好")
        leak_home = factories.household(estate, name="李秀英", phone="13812345678",
                                        building="3", unit="2", room="501")
        leak = factories.work_order(leak_home, category="urgent_leak", technician_=tech,
                                    description="卫生间暖气片接口漏水,地面已经积水")
        factories.work_order(factories.household(factories.estate(area, name="别人家小区")),
                             category="urgent_leak", technician_=other)
        db.session.commit()
        tech_id, leak_id, complaint_id = tech.id, leak.id, complaint.id

    sign_in(phone, live_server, "T9001")

    cards = phone.locator(".job-card")
    expect(cards).to_have_count(2)
    expect(phone.locator(".job-list")).not_to_contain_text("别人家小区")
    top = cards.first
    expect(top).to_have_attribute("href", f"#/jobs/{leak_id}")
    expect(top.locator(".badge--urgent")).to_have_text(re.compile("紧急"))
    expect(top).to_contain_text("3号楼 2单元 501室")
    expect(top.locator(".countdown")).to_have_text(re.compile(r"^还剩 (29|30) 分钟$"))
    expect(cards.nth(1)).to_have_attribute("href", f"#/jobs/{complaint_id}")
    shoot(phone, "jobs")

    top.click()
    expect(phone.locator("#job-status")).to_have_text("已派单")
    call = phone.get_by_role("link", name=re.compile("拨打"))
    expect(call).to_have_attribute("href", "tel:13812345678")
    expect(call).to_contain_text("138 1234 5678")
    expect(phone.locator(".address")).to_contain_text("幸福里 3号楼 2单元 501室")
    expect(phone.get_by_role("button", name="已联系客户")).to_be_visible()
    expect(phone.get_by_role("button", name="完工")).to_have_count(0)
    shoot(phone, "job-dispatched")

    posts = []
    phone.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    for action, status in (("接单", "已接单"), ("出发", "在途")):
        phone.get_by_role("button", name=action, exact=True).dblclick()  # gloves: a double tap sends once
        expect(phone.locator("#job-status")).to_have_text(status)
    phone.get_by_role("button", name="到场", exact=True).dblclick()
    on_step(phone, "knock")  # at the door the visit opens; the second tap did not finish 一敲
    expect(phone.locator(".progress__step--done")).to_have_count(0)
    expect(phone.locator("#status-line")).to_have_attribute("data-waiting", "0")
    assert posts == [f"{live_server}/api/v1/commands"] * 3
    phone.get_by_role("link", name="返回").click()
    expect(phone.locator("#job-status")).to_have_text("已到场")
    expect(phone.get_by_role("link", name="开始入户服务")).to_be_visible()
    shoot(phone, "job-on-site")
    phone.locator(".history").scroll_into_view_if_needed()
    expect(phone.locator(".history__item").first).to_contain_text("到场 · 王建国")
    shoot(phone, "job-history")

    with app.app_context():
        order = db.session.get(WorkOrder, leak_id)
        assert order.accepted_at and order.departed_at and order.arrived_at
        steps = [(change.action, change.actor_id) for change in order.history if change.actor_id == tech_id]
        assert steps == [("accept", tech_id), ("depart", tech_id), ("arrive", tech_id)]
        assert db.session.query(Command).filter_by(work_order_id=leak_id, outcome="applied").count() == 3


def test_wrong_password_shows_the_servers_message(app, live_server, phone):
    with app.app_context():
        factories.technician(factories.area(), username="T9001")
        db.session.commit()

    sign_in(phone, live_server, "T9001", password="not-the-password")

    expect(phone.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    expect(phone.get_by_label("工号")).to_have_value("T9001")
    shoot(phone, "login-error")
    # Chromium itself logs the refused sign-in (401) as a console error; only that one is expected.
    phone.problems[:] = [p for p in phone.problems if not ("status of 401" in p and "/api/v1/session" in p)]


def test_overdue_urgent_leak_reads_overdue_in_red(app, live_server, phone):
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area, username="T9001")
        order = factories.work_order(factories.household(factories.estate(area)), category="urgent_leak",
                                     technician_=tech)
        factories.age(order, 45)
        db.session.commit()

    sign_in(phone, live_server, "T9001")

    countdown = phone.locator(".job-card .countdown").first
    expect(countdown).to_have_text(re.compile(r"^已超时 1[45] 分钟$"))
    expect(countdown).to_have_class(re.compile(r"\bcountdown--overdue\b"))
    expect(countdown).to_have_attribute("data-state", "overdue")


def test_a_desk_user_is_sent_to_the_desk_and_can_sign_out(app, live_server, phone):
    with app.app_context():
        factories.user("dispatcher", username="D0001")
        factories.technician(factories.area(), username="T9001")
        db.session.commit()

    sign_in(phone, live_server, "D0001")

    expect(phone.get_by_role("heading", name="此应用供维修师傅使用")).to_be_visible()
    expect(phone.get_by_role("link", name="前往桌面端")).to_have_attribute("href", "/")
    shoot(phone, "wrong-role")

    phone.get_by_role("button", name="退出登录").click()
    expect(phone.get_by_label("工号")).to_be_visible()
    sign_in(phone, None, "T9001")  # same page: signing in again needs the fresh CSRF token
    expect(phone.get_by_text("暂时没有派给您的工单。")).to_be_visible()
    phone.get_by_role("button", name="退出", exact=True).click()
    expect(phone.get_by_label("工号")).to_be_visible()


def test_deadlines_read_in_words_and_colour_in_light_and_dark(app, live_server, phone):
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area, username="T9001")
        estate = factories.estate(area, name="康乐园")
        late = factories.work_order(factories.household(estate, building="12"), category="urgent_leak",
                                    technician_=tech, description="楼道暖气管滴水")
        factories.age(late, 42)
        soon = factories.work_order(factories.household(estate, building="5"), category="repair",
                                    technician_=tech, description="暖气不热,室温 15 度,老人在家")
        factories.age(soon, 22)
        booked = factories.work_order(factories.household(estate, building="9"), category="paid_service",
                                      technician_=tech, description="更换卧室暖气片阀门")
        set_appointment(booked, factories.user("dispatcher"), now_utc() + timedelta(days=2, hours=3),
                        customer_asked_night=True)
        db.session.commit()

    sign_in(phone, live_server, "T9001")

    countdowns = phone.locator(".job-card .countdown")
    expect(countdowns).to_have_count(3)
    expect(countdowns.nth(0)).to_have_text(re.compile(r"^已超时 1[12] 分钟$"))
    expect(countdowns.nth(0)).to_have_attribute("data-state", "overdue")
    expect(countdowns.nth(1)).to_have_text(re.compile(r"^还剩 [78] 分钟$"))
    expect(countdowns.nth(1)).to_have_attribute("data-state", "soon")
    expect(countdowns.nth(2)).to_have_text(re.compile(r"^还剩 2 天( [23] 小时)?$"))
    expect(phone.locator(".job-card").nth(2)).to_contain_text("预约 ")
    shoot(phone, "jobs-deadlines")
    phone.emulate_media(color_scheme="dark")
    shoot(phone, "jobs-dark")
    phone.locator(".job-card").first.click()
    expect(phone.locator("#job-status")).to_have_text("已派单")
    shoot(phone, "job-dark")


def test_offline_phone_says_so_and_keeps_the_list(app, live_server, phone):
    with app.app_context():
        area = factories.area()
        tech = factories.technician(area, username="T9001")
        factories.work_order(factories.household(factories.estate(area)), category="repair", technician_=tech)
        db.session.commit()
    sign_in(phone, live_server, "T9001")
    expect(phone.locator(".job-card")).to_have_count(1)
    expect(phone.locator("#status-line")).to_have_text(re.compile(r"^在线 · 全部已上传 · 上次同步 \d\d:\d\d$"))

    phone.context.set_offline(True)
    expect(phone.locator("#status-line")).to_contain_text("离线")
    phone.get_by_role("button", name="刷新").click()

    expect(phone.get_by_role("status").filter(has_text="现在离线")).to_contain_text("手机上保存的工单")
    expect(phone.locator(".job-card")).to_have_count(1)
    shoot(phone, "jobs-offline")
    phone.context.set_offline(False)
    expect(phone.locator("#status-line")).to_contain_text("在线")
    forgive_network_errors(phone)


def test_describe_deadline_words_shared_with_the_desk(live_server, phone):
    phone.goto(f"{live_server}/field/")
    minute = 60 * 1000
    cases = phone.evaluate(
        """async (minute) => {
            const { describeDeadline, SOON_MINUTES } = await import("/static/js/clocks/countdown.js");
            const now = Date.parse("2026-11-25T06:30:00Z");
            const at = (m) => new Date(now + m * minute).toISOString();
            return {
                soon: SOON_MINUTES,
                cases: [-12.5, -125, 8.2, 30, 80, 60 * 51, 0.5, -0.5, 60 * 48]
                    .map((m) => describeDeadline(at(m), now)),
                none: describeDeadline(null, now),
            };
        }""",
        minute,
    )
    assert cases["soon"] == 15
    assert [(c["text"], c["state"]) for c in cases["cases"]] == [
        ("已超时 12 分钟", "overdue"),
        ("已超时 2 小时 5 分钟", "overdue"),
        ("还剩 8 分钟", "soon"),
        ("还剩 30 分钟", "ok"),
        ("还剩 1 小时 20 分钟", "ok"),
        ("还剩 2 天 3 小时", "ok"),
        ("还剩不到 1 分钟", "soon"),
        ("已超时不到 1 分钟", "overdue"),
        ("还剩 2 天", "ok"),
    ]
    assert cases["none"]["state"] == "none"


def test_a_technician_not_yet_on_his_way_is_told_to_call_and_says_so_with_one_tap(app, live_server, phone, job):
    """000 九.五: 30 minutes before an appointment (heating season: an hour's notice) and not yet on the
    way, the job asks him to call the customer; 已告知客户 is kept with its time on the server."""
    with app.app_context():
        order = db.session.get(WorkOrder, job["order"])
        order.appointment_at = now_utc() + timedelta(minutes=30)  # an hour's notice in season, a day's outside
        db.session.commit()
    sign_in(phone, live_server, "T9001")
    card = phone.locator(f'a[href="#/jobs/{job["order"]}"]')
    expect(card.locator(".tag--late")).to_have_text("可能迟到:请先告知客户")  # seen without opening the job
    card.click()
    notice = phone.locator(".late-notice")
    expect(notice).to_contain_text("您还没有出发:请现在打电话告诉客户可能晚到")
    expect(notice.get_by_role("link", name=re.compile("拨打"))).to_have_attribute("href", "tel:13812345678")
    notice.get_by_role("button", name="已告知客户").click()
    expect(phone.locator(".notice--calm")).to_contain_text("已告知客户可能迟到")
    expect_synced(phone)
    with app.app_context():
        assert db.session.get(WorkOrder, job["order"]).customer_told_at is not None


def test_the_prompt_to_call_appears_on_its_own_when_the_notice_time_comes(app, live_server, phone, job):
    """Nothing is synced at the moment the notice time passes: the screen is drawn again then by itself."""
    from app.clocks import seasons

    with app.app_context():
        order = db.session.get(WorkOrder, job["order"])
        soon = now_utc() + timedelta(hours=2)
        order.appointment_at = now_utc() + seasons.notice_before(soon) + timedelta(seconds=4)  # notice in 4 s
        db.session.commit()
    sign_in(phone, live_server, "T9001")
    phone.locator(f'a[href="#/jobs/{job["order"]}"]').click()
    expect(phone.locator(".late-notice")).to_have_count(0)
    expect(phone.locator(".late-notice")).to_contain_text("请现在打电话告诉客户", timeout=15000)
