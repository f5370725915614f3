"""What a field holds is kept as it is typed: a reload a tenth of a second after the last keystroke (the
phone switching apps, the OS reclaiming the tab, a flat battery) loses nothing, sync answers arriving
meanwhile repaint nothing from under the technician's fingers, and a reload that meets a 502 opens the
app from the cache."""
import uuid

import pytest
from playwright.sync_api import expect

from app.auth.models import User
from app.extensions import db
from app.photos import services as photos
from app.visits import services as visits
from app.visits.models import VisitStep
from app.work_orders.models import WorkOrder
from tests import factories
from tests.field.phone import STEPS, camera_jpeg, draw, on_step, phone_data, sign_in, wait_until, worker_ready

ROUNDS = 20
# Every text field of 一修, by its label: what the technician types there.
FIELDS = ("故障诊断", "维修结果", "客户造成的损坏(可不填)", "备注(可不填)")


def on_site(app, job, through):
    """The order's visit with the steps before `through` done on the server."""
    with app.app_context():
        order, tech = db.session.get(WorkOrder, job["order"]), db.session.get(User, job["technician"])
        factories.advance(order, tech, "accept", "depart", "arrive")
        for code in STEPS[:STEPS.index(through)]:
            if code == "repair":
                for kind in ("before", "after"):
                    photos.add_photo(order, tech, str(uuid.uuid4()), "repair", kind, camera_jpeg(800, 600))
                visits.record_repair(order, tech, "company", "free", "阀芯脱落", "更换阀芯,已热")
            if code == "clean_up":
                photos.add_photo(order, tech, str(uuid.uuid4()), "clean_up", "after", camera_jpeg(800, 600))
            visits.record_step(order, tech, code, "done")
        db.session.commit()


def open_visit(phone, live_server, job, step):
    sign_in(phone, live_server, "T9001")
    phone.goto(f"{live_server}/field/#/jobs/{job['order']}/visit")
    on_step(phone, step)


def sync_answer_arrives(phone):
    """What an answer from the server does on the phone: the job is saved and every screen repainted."""
    phone.evaluate("import('/static/js/offline/changes.js').then((m) => { m.changed('bundle'); m.changed('sent'); })")


def test_text_typed_a_tenth_of_a_second_before_a_reload_is_kept_in_every_field(app, live_server, phone, job):
    on_site(app, job, "repair")
    open_visit(phone, live_server, job, "repair")
    typed = dict.fromkeys(FIELDS, "")
    for round_ in range(ROUNDS):
        label = FIELDS[round_ % len(FIELDS)]
        words = f"第{round_}轮〔S{1086 + round_}-N7〕"
        field = phone.get_by_label(label, exact=True)
        field.click()
        field.press("Control+End")  # the end of the text, not of a wrapped line
        if round_ % 2:
            sync_answer_arrives(phone)  # an answer lands while the technician types
        field.press_sequentially(words)
        typed[label] += words
        phone.wait_for_timeout(100)
        phone.reload()
        on_step(phone, "repair")
        for name, text in typed.items():
            expect(phone.get_by_label(name, exact=True)).to_have_value(text)


def test_what_is_typed_stays_on_screen_while_sync_answers_arrive(app, live_server, phone, job):
    on_site(app, job, "repair")
    open_visit(phone, live_server, job, "repair")
    result = phone.get_by_label("维修结果", exact=True)
    result.click()
    for word in ("更换阀芯", "并排气", "暖气片已热"):
        result.press_sequentially(word)
        sync_answer_arrives(phone)
        phone.wait_for_timeout(150)
    expect(result).to_be_focused()
    expect(result).to_have_value("更换阀芯并排气暖气片已热")
    expect(phone.locator("#step-blockers")).not_to_contain_text("维修结果")


def test_a_photo_finishing_while_the_technician_types_keeps_the_field_and_the_caret(app, live_server, phone, job,
                                                                                     tmp_path):
    """A tap's repaint (the photo processed, its thumbnail shown) draws the whole screen again while the
    technician has moved on to typing: the field comes back with every keystroke and the caret in it."""
    on_site(app, job, "repair")
    open_visit(phone, live_server, job, "repair")
    picture = tmp_path / "before.jpg"
    picture.write_bytes(camera_jpeg())
    result = phone.get_by_label("维修结果", exact=True)
    result.click()
    result.press_sequentially("更换阀芯")
    phone.locator('input[type=file][data-step="repair"][data-kind="before"]').set_input_files(str(picture))
    phone.keyboard.type("并排气")  # typing on while the photo is downscaled and the screen repainted
    slot = phone.locator(".photo-slot").filter(has=phone.locator('input[data-kind="before"]'))
    expect(slot.locator(".thumb")).to_have_count(1, timeout=15000)
    phone.keyboard.type("后已热")
    expect(phone.get_by_label("维修结果", exact=True)).to_be_focused()
    expect(phone.get_by_label("维修结果", exact=True)).to_have_value("更换阀芯并排气后已热")


@pytest.mark.parametrize("choice", ["满意", "基本满意"])
def test_a_satisfaction_tap_and_a_comment_survive_an_immediate_reload(app, live_server, phone, job, choice):
    on_site(app, job, "goodbye")
    open_visit(phone, live_server, job, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    phone.get_by_role("button", name="下一步:服务评价").click()
    phone.get_by_role("radio", name=choice, exact=True).click()
    comment = phone.locator("#slip-comment")
    comment.press_sequentially("师傅很专业〔S1086-N7〕")
    phone.wait_for_timeout(100)
    phone.reload()
    expect(phone.get_by_role("radio", name=choice, exact=True)).to_be_checked()
    expect(phone.locator("#slip-comment")).to_have_value("师傅很专业〔S1086-N7〕")


def test_a_signature_being_drawn_is_not_replaced_when_a_sync_answer_arrives(app, live_server, phone, job):
    on_site(app, job, "goodbye")
    open_visit(phone, live_server, job, "goodbye")
    phone.get_by_role("link", name="请客户签署服务单").click()
    phone.get_by_role("button", name="下一步:服务评价").click()
    phone.get_by_role("radio", name="满意", exact=True).click()
    phone.get_by_role("button", name="下一步:客户签名").click()
    canvas = phone.locator("#signature-customer")
    canvas.evaluate("(pad) => { pad.dataset.drawnOn = 'yes'; }")
    box = canvas.bounding_box()
    phone.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.5)
    phone.mouse.down()
    for t in range(1, 30):
        phone.mouse.move(box["x"] + box["width"] * (0.1 + 0.8 * t / 30), box["y"] + box["height"] * (0.3 + 0.02 * t))
        if t in (5, 15, 25):
            sync_answer_arrives(phone)
            phone.wait_for_timeout(120)
    assert phone.locator("#signature-customer").get_attribute("data-drawn-on") == "yes"  # the same pad throughout
    phone.mouse.up()
    sync_answer_arrives(phone)  # between strokes too: the customer finds the same pad under the pen
    phone.wait_for_timeout(200)
    draw(phone, "customer", seed=1)
    assert phone.locator("#signature-customer").get_attribute("data-drawn-on") == "yes"
    strokes = phone.evaluate(f"JSON.parse(localStorage.getItem('shifu-draft:{job['order']}:slip')).strokes.customer")
    assert len(strokes) == 4 and len(strokes[0]) >= 25
    expect(phone.get_by_role("button", name="下一步:维修人员签名")).to_be_enabled()


def test_a_reload_that_meets_a_502_opens_the_app_from_the_cache(app, live_server, phone, job, monkeypatch):
    sign_in(phone, live_server, "T9001")
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    worker_ready(phone)
    real = app.wsgi_app

    def gateway(environ, start_response):
        if environ["PATH_INFO"].startswith("/field"):  # the proxy in front of a restarting app server
            start_response("502 Bad Gateway", [("Content-Type", "text/html")])
            return [b"<html><body><h1>502 Bad Gateway</h1></body></html>"]
        return real(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", gateway)
    phone.reload()
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    expect(phone.locator("body")).not_to_contain_text("502 Bad Gateway")


def test_a_step_another_phone_recorded_first_is_settled_quietly_not_shown_as_refused(app, live_server, phone, job):
    on_site(app, job, "knock")
    open_visit(phone, live_server, job, "knock")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="完成此步").click()  # this phone is offline: the tap waits in the outbox
    on_step(phone, "introduce")
    on_site_knock_elsewhere(app, job)
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(phone, """async () => {
        const { tx } = await import("/static/js/offline/db.js");
        return (await tx("outbox", "readonly", (s) => s.outbox.count())) === 0;
    }""")
    refused = phone.evaluate("""async () => {
        const { tx } = await import("/static/js/offline/db.js");
        return tx("refused", "readonly", (s) => s.refused.count());
    }""")
    assert refused == 0
    expect(phone.locator("body")).not_to_contain_text("被退回")
    on_step(phone, "introduce")
    forgive = [p for p in phone.problems if "409" not in p and "ERR_INTERNET_DISCONNECTED" not in p]
    phone.problems[:] = forgive


def test_in_a_run_a_step_recorded_elsewhere_is_settled_quietly_and_the_rest_applied(app, live_server, phone, job):
    """The same, with more waiting behind it: the records go up together (POST /commands/batch), and the one the
    other phone recorded first is no more "refused" there than alone."""
    on_site(app, job, "knock")
    open_visit(phone, live_server, job, "knock")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="完成此步").click()
    on_step(phone, "introduce")
    phone.get_by_role("button", name="完成此步").click()
    on_step(phone, "shoe_covers")
    on_site_knock_elsewhere(app, job)
    batches = []
    phone.on("request", lambda r: batches.append(r.url) if r.url.endswith("/api/v1/commands/batch") else None)
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(phone, """async () => {
        const { tx } = await import("/static/js/offline/db.js");
        return (await tx("outbox", "readonly", (s) => s.outbox.count())) === 0;
    }""")
    assert len(batches) == 1 and phone_data(phone)["refused"] == []
    expect(phone.locator("body")).not_to_contain_text("被退回")
    with app.app_context():
        steps = db.session.execute(db.select(VisitStep.step).order_by(VisitStep.id)).scalars().all()
        assert steps == ["knock", "introduce"]
    on_step(phone, "shoe_covers")
    phone.problems[:] = [p for p in phone.problems if "ERR_INTERNET_DISCONNECTED" not in p]


def test_a_server_without_the_batch_gets_the_records_one_by_one(app, live_server, phone, job):
    """An older server behind a rolling update answers 404 to POST /commands/batch: nothing is refused or lost."""
    on_site(app, job, "knock")
    open_visit(phone, live_server, job, "knock")
    phone.route("**/api/v1/commands/batch", lambda route: route.fulfill(
        status=404, json={"error": "not_found", "message": "找不到该页面。", "fields": {}}))
    singles = []
    phone.on("request", lambda r: singles.append(r.url) if r.url.endswith("/api/v1/commands") else None)
    phone.context.set_offline(True)
    for step in ("introduce", "shoe_covers"):
        phone.get_by_role("button", name="完成此步").click()
        on_step(phone, step)
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(phone, """async () => {
        const { tx } = await import("/static/js/offline/db.js");
        return (await tx("outbox", "readonly", (s) => s.outbox.count())) === 0;
    }""")
    assert len(singles) == 2 and phone_data(phone)["refused"] == []
    with app.app_context():
        steps = db.session.execute(db.select(VisitStep.step).order_by(VisitStep.id)).scalars().all()
        assert steps == ["knock", "introduce"]
    phone.problems[:] = [p for p in phone.problems if "404" not in p and "ERR_INTERNET_DISCONNECTED" not in p]


def on_site_knock_elsewhere(app, job):
    """The technician's other phone recorded 一敲 first."""
    with app.app_context():
        order, tech = db.session.get(WorkOrder, job["order"]), db.session.get(User, job["technician"])
        visits.record_step(order, tech, "knock", "done")
        db.session.commit()


def test_the_phone_counts_ten_ones_honestly(app, live_server, phone, job):
    """Nine steps are done at the door; the tenth, 一访, is the service centre's callback after completion."""
    on_site(app, job, "knock")
    open_visit(phone, live_server, job, "knock")
    expect(phone.locator(".step__count")).to_have_text("十个一 · 入户 9 步中的第 1 步")


def test_a_skip_reason_and_a_temperature_typed_just_before_a_reload_are_kept(app, live_server, phone, job):
    """The other text fields of the visit: a skip's reason (on any step) and 一修's temperature."""
    on_site(app, job, "lay_out")
    open_visit(phone, live_server, job, "lay_out")
    phone.get_by_role("button", name="跳过此步").click()
    phone.get_by_label("跳过原因(必填)").press_sequentially("客户家地面铺了地毯〔S1086-N7〕")
    phone.wait_for_timeout(100)
    phone.reload()
    on_step(phone, "lay_out")
    expect(phone.get_by_label("跳过原因(必填)")).to_have_value("客户家地面铺了地毯〔S1086-N7〕")
    expect(phone.get_by_role("button", name="确认跳过")).to_be_enabled()

    on_site_through(app, job, "repair")
    phone.reload()
    on_step(phone, "repair")
    phone.get_by_label("温度(°C)").press_sequentially("17.5")
    phone.wait_for_timeout(100)
    phone.reload()
    on_step(phone, "repair")
    expect(phone.get_by_label("温度(°C)")).to_have_value("17.5")


def on_site_through(app, job, step):
    """The server records the steps up to `step` (the technician's other phone did them)."""
    with app.app_context():
        order, tech = db.session.get(WorkOrder, job["order"]), db.session.get(User, job["technician"])
        for code in STEPS[STEPS.index("lay_out"):STEPS.index(step)]:
            visits.record_step(order, tech, code, "done")
        db.session.commit()
