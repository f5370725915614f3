"""The visit (十个一) on the phone, online and off: every step and photo reaches the server exactly once."""
import re

from PIL import Image
from playwright.sync_api import expect

from app.commands.models import Command
from app.extensions import db
from app.files.storage import storage
from app.photos.models import Photo
from app.visits.models import DamageRecord, RepairRecord, TemperatureReading, VisitStep
from app.work_orders.models import WorkOrder
from tests.field.phone import (
    STEPS,
    expect_synced,
    forgive_network_errors,
    on_step,
    phone_data,
    shoot,
    sign_in,
    walk,
    worker_ready,
)


def arrive(phone, live_server, order_id):
    sign_in(phone, live_server, "T9001")
    phone.locator(f'a[href="#/jobs/{order_id}"]').click()
    for action in ("接单", "出发", "到场"):
        phone.get_by_role("button", name=action, exact=True).click()
    on_step(phone, "knock")


def count(app, model, **filters):
    with app.app_context():
        return db.session.query(model).filter_by(**filters).count()


def test_a_whole_visit_online_reaches_the_server_once_with_upright_photos(app, live_server, phone, job, photo_file):
    arrive(phone, live_server, job["order"])
    expect(phone.locator(".progress__step--current")).to_contain_text("一敲")
    shoot(phone, "visit-step")

    walk(phone, STEPS[:6], photo_file)
    on_step(phone, "repair")
    expect(phone.get_by_role("button", name="完成此步")).to_be_disabled()
    expect(phone.locator("#step-blockers")).to_contain_text("修前照片、修后照片")
    shoot(phone, "visit-repair-start")
    walk(phone, ["repair"], photo_file, shots=lambda name: shoot(phone, name))  # readings: one below 18 °C

    walk(phone, ["clean_up", "goodbye"], photo_file, shots=lambda name: shoot(phone, name))
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()
    expect(phone.locator(".summary-step")).to_have_count(9)
    expect(phone.locator(".summary .step__hint")).to_contain_text("第十个“一访”是客服中心完工后的回访")
    shoot(phone, "visit-summary")
    phone.get_by_role("button", name="完工").click()
    expect(phone.locator("#job-status")).to_have_text("已完工")
    expect_synced(phone)
    shoot(phone, "job-done")

    made = phone_data(phone)["made"]
    with app.app_context():
        order = db.session.get(WorkOrder, job["order"])
        assert order.status == "done"
        steps = db.session.execute(db.select(VisitStep.step).order_by(VisitStep.id)).scalars().all()
        assert steps == list(STEPS)
        kinds = sorted((c.type, str(c.payload)) for c in db.session.query(Command))
        assert db.session.query(Command).count() == made == 3 + 9 + 3 + 2 + 2 + 1 + 1, kinds  # + photos, readings, slip
        assert db.session.query(Command).filter_by(outcome="refused").count() == 0
        readings = {r.room: (r.tenths, r.below_standard) for r in db.session.query(TemperatureReading)}
        assert readings == {"bedroom": (175, True), "living_room": (190, False)}
        repair = db.session.query(RepairRecord).one()
        assert (repair.fault_location, repair.resolution) == ("company", "free")
        assert db.session.query(DamageRecord).count() == 1
        photos = db.session.query(Photo).order_by(Photo.id).all()
        assert [(p.step, p.kind) for p in photos] == [("repair", "before"), ("repair", "after"), ("clean_up", "after")]
        for photo in photos:
            # Sensor 4000×3000 with EXIF "turn 90°": upright it is a portrait, 1280 on its long side.
            assert (photo.width, photo.height) == (960, 1280)
            with Image.open(storage().path(photo.storage_key)) as stored:
                assert stored.size == (960, 1280)
                red = stored.getpixel((920, 50))  # the sensor's red top-left corner, now top right
                assert red[0] > 180 and red[1] < 90, red
                left = stored.getpixel((50, 50))
                assert abs(left[0] - left[1]) < 60, left  # grey: the red corner did not land on the left
            assert photo.size_bytes < 250 * 1024
    assert phone_data(phone)["waiting"] == []


def test_a_network_cut_mid_visit_and_a_reload_offline_lose_nothing(app, live_server, phone, job, photo_file):
    arrive(phone, live_server, job["order"])
    walk(phone, STEPS[:2], photo_file)
    expect_synced(phone)
    worker_ready(phone)

    phone.context.set_offline(True)
    walk(phone, STEPS[2:4], photo_file)
    status = phone.locator("#status-line")
    expect(status).to_have_attribute("data-waiting", "2")
    phone.reload()  # no network: the service worker opens the app, IndexedDB remembers the visit
    on_step(phone, "lay_out")
    expect(status).to_have_text(re.compile(r"^离线 · 2 条待上传 · 上次同步 \d\d:\d\d$"))
    expect(phone.locator(".progress__step--done")).to_have_count(4)
    shoot(phone, "visit-offline-reloaded")
    phone.get_by_text("已记录 4 步(查看时间)").click()
    expect(phone.locator(".recorded .summary-step")).to_have_count(4)
    last = phone.locator(".recorded .summary-step").last
    expect(last).to_contain_text(re.compile(r"一铺 铺工具垫✓ 完成\d\d:\d\d待上传"))

    walk(phone, STEPS[4:], photo_file)
    phone.get_by_role("button", name="完工").click()
    expect(phone.locator("#job-status")).to_have_text("已完工")
    waiting = len(phone_data(phone)["waiting"])
    expect(status).to_have_attribute("data-waiting", str(waiting))
    assert count(app, VisitStep) == 2 and count(app, Photo) == 0
    phone.get_by_role("link", name="返回").click()
    done = phone.locator(".job-list--done .job-card")
    expect(done).to_contain_text("已完工")
    expect(done.locator(".tag--waiting")).to_have_text(f"{waiting} 条待上传")
    shoot(phone, "jobs-waiting-offline")
    phone.context.set_offline(False)
    expect_synced(phone)

    made = phone_data(phone)["made"]
    with app.app_context():
        kinds = sorted((c.type, str(c.payload)) for c in db.session.query(Command))
        assert db.session.query(Command).count() == made == 3 + 9 + 3 + 2 + 2 + 1 + 1, kinds
        assert db.session.execute(db.select(VisitStep.step).order_by(VisitStep.id)).scalars().all() == list(STEPS)
        assert db.session.query(Photo).count() == 3
        assert db.session.get(WorkOrder, job["order"]).status == "done"
    forgive_network_errors(phone)


def test_an_answer_lost_after_the_server_applied_it_is_not_applied_twice(app, live_server, phone, job):
    arrive(phone, live_server, job["order"])
    expect_synced(phone)
    lost = []

    def lose_the_first_answer(route):
        body = route.request.post_data_json
        if not lost and body["type"] == "step":
            route.fetch()  # the server applies it and answers…
            lost.append(body["client_uuid"])
            route.abort()  # …but the answer never reaches the phone
        else:
            route.continue_()

    phone.route("**/api/v1/commands", lose_the_first_answer)
    phone.get_by_role("button", name="完成此步").click()
    on_step(phone, "introduce")
    expect_synced(phone)  # the retry comes after a couple of seconds

    assert len(lost) == 1
    with app.app_context():
        assert db.session.query(VisitStep).filter_by(step="knock").count() == 1
        command = db.session.execute(db.select(Command).filter_by(client_uuid=lost[0])).scalar_one()
        assert command.outcome == "applied"
    assert phone_data(phone)["waiting"] == []
    forgive_network_errors(phone)


def test_two_tabs_of_one_technician_send_every_action_once(app, live_server, phone, job, photo_file):
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    arrive(phone, live_server, job["order"])
    second = phone.context.new_page()
    problems = []
    second.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    second.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    second.goto(f"{live_server}/field/#/jobs/{job['order']}/visit")
    on_step(second, "knock")

    walk(phone, STEPS[:3], photo_file)
    on_step(second, "tool_mat")  # the other tab follows: same IndexedDB, told by BroadcastChannel
    walk(second, STEPS[3:5], photo_file)
    on_step(phone, "water_catcher")
    expect_synced(phone)
    expect_synced(second)

    made = phone_data(phone)["made"]
    with app.app_context():
        assert db.session.execute(db.select(VisitStep.step).order_by(VisitStep.id)).scalars().all() == list(STEPS[:5])
        assert db.session.query(Command).count() == made == 3 + 5
    posts = [url for url in posts if not url.endswith("/api/v1/session")]
    assert len(posts) == made  # locks: neither tab sent what the other had sent
    for tab in (phone, second):
        tab.reload()
        on_step(tab, "water_catcher")
        expect(tab.locator(".progress__step--done")).to_have_count(5)
    assert problems == []


def test_work_captured_offline_on_a_reassigned_order_is_refused_plainly_and_kept(app, live_server, phone, job):
    from app.auth.models import User
    from app.dispatch.services import dispatch

    sign_in(phone, live_server, "T9001")
    phone.locator(f'a[href="#/jobs/{job["order"]}"]').click()
    phone.get_by_role("button", name="接单", exact=True).click()
    expect(phone.locator("#job-status")).to_have_text("已接单")
    expect_synced(phone)
    worker_ready(phone)

    phone.context.set_offline(True)
    for action in ("出发", "到场"):
        phone.get_by_role("button", name=action, exact=True).click()
    phone.get_by_role("button", name="完成此步").click()
    on_step(phone, "introduce")
    with app.app_context():  # meanwhile the desk gives the order to 赵志刚
        dispatch(db.session.get(WorkOrder, job["order"]), db.session.get(User, job["dispatcher"]),
                 db.session.get(User, job["other"]))
        db.session.commit()
    phone.context.set_offline(False)

    status = phone.locator("#status-line")
    expect(status).to_have_attribute("data-refused", "3", timeout=20000)
    expect(status).to_contain_text("3 条被退回")
    banner = phone.get_by_role("alert").filter(has_text="被服务器退回")
    expect(banner).to_contain_text("3 条记录被服务器退回")
    expect(banner).to_contain_text("一敲 敲门 · 完成:找不到该工单。")
    expect(phone.get_by_role("heading", name="这张工单已不在您的列表中")).to_be_visible()
    shoot(phone, "refused-banner")
    banner.get_by_role("link", name="查看详情").click()
    knock = phone.locator(".refused").filter(has_text="一敲 敲门 · 完成")
    expect(knock).to_contain_text(f"工单 {job['number']} · 幸福里 3号楼 2单元 501室")
    expect(knock).to_contain_text("服务器退回:找不到该工单。")
    expect(knock).to_contain_text("可能已改派给其他师傅或已取消")
    shoot(phone, "refused-list")
    knock.get_by_role("button", name="知道了").click()
    expect(status).to_contain_text("2 条被退回")
    expect(knock).to_contain_text("已知晓")

    held = phone_data(phone)
    assert held["waiting"] == [] and len(held["refused"]) == 3
    with app.app_context():
        refused = db.session.execute(
            db.select(Command).filter_by(outcome="refused").order_by(Command.id)).scalars().all()
        assert [(c.type, c.http_status) for c in refused] == [("transition", 404), ("transition", 404), ("step", 404)]
        assert {c.client_uuid for c in refused} == {item["client_uuid"] for item in held["refused"]}
        assert db.session.query(VisitStep).count() == 0
    forgive_network_errors(phone)
    phone.problems[:] = [p for p in phone.problems if "status of 404" not in p]


def test_a_skip_needs_a_reason_and_half_typed_words_survive_a_reload(app, live_server, phone, job):
    arrive(phone, live_server, job["order"])
    phone.get_by_label("备注(可不填)").fill("门铃坏了,敲门")
    phone.get_by_role("button", name="完成此步").click()
    on_step(phone, "introduce")
    phone.get_by_role("button", name="跳过此步").click()
    confirm = phone.get_by_role("button", name="确认跳过")
    expect(confirm).to_be_disabled()
    phone.get_by_role("button", name="客户不需要").click()
    expect(phone.get_by_label("跳过原因(必填)")).to_have_value("客户不需要")
    expect(confirm).to_be_enabled()
    shoot(phone, "visit-skip")
    confirm.click()
    on_step(phone, "shoe_covers")
    expect(phone.locator(".progress__step--skipped")).to_contain_text("跳过")
    phone.emulate_media(color_scheme="dark")  # the stairwell
    shoot(phone, "visit-step-dark")

    phone.get_by_label("备注(可不填)").fill("客户家有老人,")
    phone.wait_for_timeout(400)  # drafts are written a moment after the last key
    phone.reload()
    on_step(phone, "shoe_covers")
    expect(phone.get_by_label("备注(可不填)")).to_have_value("客户家有老人,")
    expect_synced(phone)
    with app.app_context():
        steps = db.session.execute(db.select(VisitStep).order_by(VisitStep.id)).scalars().all()
        assert [(s.step, s.outcome, s.reason, s.note) for s in steps] == [
            ("knock", "done", None, "门铃坏了,敲门"), ("introduce", "skipped", "客户不需要", None)]


def test_an_ended_session_keeps_the_outbox_and_sends_it_after_signing_in_again(app, live_server, phone, job):
    arrive(phone, live_server, job["order"])
    expect_synced(phone)
    phone.context.clear_cookies()  # the session ended (expired, signed out on the desk)

    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_label("工号")).to_be_visible()
    expect(phone.locator("#status-line")).to_have_attribute("data-waiting", "1")
    assert count(app, VisitStep) == 0
    sign_in(phone, None, "T9001")
    on_step(phone, "introduce")  # back where the technician was
    expect_synced(phone)
    assert count(app, VisitStep, step="knock") == 1
    # Chromium logs the refused requests (stale token, then no session) that sent the phone to sign in.
    phone.problems[:] = [p for p in phone.problems if not re.search(r"status of 40[01]", p)]
