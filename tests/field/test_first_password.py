"""A technician handed a first password chooses their own on the phone before the jobs open."""
from playwright.sync_api import expect

from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.staff import services as staff
from tests import factories
from tests.field.phone import expect_synced, sign_in


def test_a_new_technician_chooses_a_password_on_the_phone_before_the_jobs_open(app, live_server, phone):
    with app.app_context():
        ensure_default_policies()
        area = factories.area()
        admin = factories.user("admin")
        user, password = staff.create(admin, {"role": "technician", "name": "周新", "username": None,
                                              "badge_number": "T2001", "phone": "", "branch_id": area.branch_id,
                                              "area_ids": [area.id]})
        db.session.commit()
    sign_in(phone, live_server, "T2001", password)
    expect(phone.get_by_role("heading", name="请设置自己的密码")).to_be_visible()
    phone.get_by_label("初始密码").fill(password)
    phone.get_by_label("新密码(至少 8 位)").fill("zhouxin-2026")
    phone.get_by_label("再输一次新密码").fill("zhouxin-2027")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("alert")).to_have_text("两次输入的新密码不一致。")
    phone.get_by_label("再输一次新密码").fill("zhouxin-2026")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    phone.reload()
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()


def test_a_technician_changes_the_password_from_my_jobs(app, live_server, phone, job):
    sign_in(phone, live_server, "T9001")
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    phone.get_by_role("link", name="修改密码").click()
    expect(phone.locator(".login__title")).to_have_text("修改密码")
    phone.get_by_label("当前密码").fill("wrong-password")
    phone.get_by_label("新密码(至少 8 位)").fill("wang-own-2026")
    phone.get_by_label("再输一次新密码").fill("wang-own-2026")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("alert")).to_have_text("当前密码不正确")
    phone.problems[:] = [p for p in phone.problems if "409" not in p]  # Chromium logs the refusal it was shown
    phone.get_by_label("当前密码").fill(factories.PASSWORD)
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    with app.app_context():
        from app.auth import services as auth

        assert auth.authenticate("T9001", "wang-own-2026") is not None


def test_a_repaint_in_the_background_leaves_the_password_screen_as_typed(app, live_server, phone, job):
    """A pull landing (here: another tab's) repaints the phone's screens; the new-password screen holds nothing
    synced, and what was typed and the refusal shown stay as they are."""
    sign_in(phone, live_server, "T9001")
    expect_synced(phone)
    phone.get_by_role("link", name="修改密码").click()
    phone.get_by_label("当前密码").fill("wrong-password")
    phone.get_by_label("新密码(至少 8 位)").fill("wang-own-2026")
    phone.get_by_label("再输一次新密码").fill("wang-own-2026")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("alert")).to_have_text("当前密码不正确")
    phone.problems[:] = [p for p in phone.problems if "409" not in p]
    # Channels receive a message in the order they were made: the app's (made at start) repaints before this
    # listener hears it, and the repaint reaches the screen before its first await.
    phone.evaluate("""() => new Promise((done) => {
        const listener = new BroadcastChannel("shifu-data");
        listener.onmessage = () => { listener.close(); done(); };
        new BroadcastChannel("shifu-data").postMessage({ what: "bundle" });
    })""")
    expect(phone.get_by_role("alert")).to_have_text("当前密码不正确")
    expect(phone.get_by_label("新密码(至少 8 位)")).to_have_value("wang-own-2026")


def test_a_bundle_answered_after_a_new_password_does_not_sign_the_phone_out(app, live_server, phone, job):
    """A pull sent with the old session and answered after the password change (which ends every old session)
    is a 401 about a session the phone no longer uses: the phone pulls again with the new one."""
    sign_in(phone, live_server, "T9001")
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    expect_synced(phone)
    held, answers = [], []
    phone.route("**/api/v1/me/bundle", lambda route: held.append(route) if not held else route.continue_())
    phone.on("response", lambda r: answers.append(r.status) if r.url.endswith("/api/v1/me/bundle") else None)
    phone.evaluate("window.dispatchEvent(new Event('online'))")  # a pull, held on its way with the old cookie
    waited(phone, lambda: held)
    phone.get_by_role("link", name="修改密码").click()
    phone.get_by_label("当前密码").fill(factories.PASSWORD)
    phone.get_by_label("新密码(至少 8 位)").fill("wang-own-2026")
    phone.get_by_label("再输一次新密码").fill("wang-own-2026")
    phone.get_by_role("button", name="保存新密码").click()
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    # The old session's pull answered now, as the server answers a session the new password ended (sent on to
    # the server only now, the request would carry the new cookie: the browser attaches it when it sends).
    held[0].fulfill(status=401, json={"error": "unauthorized", "message": "请先登录。", "fields": {}})
    waited(phone, lambda: 401 in answers and {200, 304} & set(answers[answers.index(401) + 1:]))  # pulled again
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    phone.problems[:] = [p for p in phone.problems if "401" not in p]


def waited(page, condition, seconds=10):
    for _ in range(seconds * 20):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("not seen in time")
