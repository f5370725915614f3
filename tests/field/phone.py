"""Driving the field app like a technician: signing in, the visit's steps, photos, the phone's IndexedDB."""
import math
import re
import time
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests import factories

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Chromium logs a failed fetch itself, even when the page catches it: expected while the phone is offline.
NETWORK_ERRORS = re.compile(r"ERR_INTERNET_DISCONNECTED|ERR_FAILED|ERR_NETWORK_CHANGED|Failed to fetch")
STEPS = ("knock", "introduce", "shoe_covers", "tool_mat", "lay_out", "water_catcher", "repair", "clean_up", "goodbye")


def forgive_network_errors(page):
    """While offline (or with a lost answer) Chromium logs the failed requests; nothing else is forgiven."""
    page.problems[:] = [p for p in page.problems if not NETWORK_ERRORS.search(p)]


def shoot(page, name, full_page=False):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"field-{name}.png"), full_page=full_page)


def sign_in(page, live_server, username, password=factories.PASSWORD):
    if live_server:
        page.goto(f"{live_server}/field/")
    page.get_by_label("工号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def camera_jpeg(width=4000, height=3000, orientation=6, red_corner=True):
    """A 12-megapixel camera picture as phones store it: sensor-landscape pixels, an EXIF note to turn it.

    Orientation 6 means "turn 90° clockwise to view": the viewer sees a 3000×4000 portrait, and the
    sensor's top-left corner (painted red here) ends up at the top right.
    """
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width // 4, height // 4), 40).resize((width, height)).convert("RGB")
    image = Image.blend(image, noise, 0.35)
    draw = ImageDraw.Draw(image)
    for i in range(12):  # a radiator's fins: edges the encoder has to keep
        x = 800 + i * 200
        draw.rectangle((x, 900, x + 120, 2300), fill=(200 - i * 8, 190, 180))
    if red_corner:
        draw.rectangle((0, 0, 600, 600), fill=(230, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()




def phone_data(page):
    """What the phone holds in IndexedDB: the outbox (oldest first), refused items, the number of items made."""
    return page.evaluate("""async () => {
        const { tx } = await import("/static/js/offline/db.js");
        return tx(["outbox", "refused", "meta"], "readonly", async (s) => ({
            waiting: await s.outbox.all("seq"), refused: await s.refused.all("seq"),
            made: (await s.meta.get("seq")) || 0,
        }));
    }""")


def expect_synced(page, timeout=20000):
    """The outbox is empty (read from IndexedDB, not the screen) and the status line says so.

    Wait for the screen to show the last action first: until then it may not be in the outbox yet.
    """
    wait_until(page, """async () => {
        const { tx } = await import("/static/js/offline/db.js");
        return (await tx("outbox", "readonly", (s) => s.outbox.count())) === 0;
    }""", timeout)
    expect(page.locator("#status-line")).to_have_attribute("data-waiting", "0")


def wait_until(page, predicate, timeout=20000, every=0.2):
    """Poll an async page function until it answers true. Not page.wait_for_function: an async predicate
    hands it a Promise, which is truthy, so it returns at once without ever waiting."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {predicate.strip()[:120]}")
        time.sleep(every)


def worker_ready(page):
    """Wait until the service worker has stored the shell and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def on_step(page, code):
    expect(page.locator(".step")).to_have_attribute("data-step", code)


def take_photo(page, step, kind, path):
    page.locator(f'input[type=file][data-step="{step}"][data-kind="{kind}"]').set_input_files(str(path))
    slot = page.locator(".photo-slot").filter(has=page.locator(f'input[data-step="{step}"][data-kind="{kind}"]'))
    expect(slot.locator(".thumb")).to_have_count(1, timeout=15000)


def add_reading(page, room, celsius):
    page.get_by_role("radio", name=room, exact=True).click()
    page.get_by_label("温度(°C)").fill(celsius)
    page.get_by_role("button", name="记录室温").click()
    expect(page.locator(".reading").filter(has_text=room)).to_have_count(1)


def record_repair(page, photo, shots=None):
    take_photo(page, "repair", "before", photo)
    take_photo(page, "repair", "after", photo)
    page.get_by_role("radio", name=re.compile("公司产权")).click()
    expect(page.get_by_role("radio", name="免费维修", exact=True)).to_be_checked()
    page.get_by_label("故障诊断").fill("卧室暖气片进水阀阀芯脱落,热水进不去")
    page.get_by_label("维修结果").fill("更换阀芯并排气,暖气片已热")
    add_reading(page, "卧室", "17.5")
    add_reading(page, "客厅", "19")
    low = page.locator(".reading").filter(has_text="卧室")
    expect(low).to_contain_text("17.5 °C")
    expect(low.locator(".tag--low")).to_have_text("低于 18 °C")
    expect(page.locator(".reading").filter(has_text="客厅").locator(".tag--ok")).to_have_text("达标(18 °C)")
    page.get_by_label("客户造成的损坏(可不填)").fill("客户自行拧动阀门,阀杆螺纹损坏")
    if shots:
        shots("visit-repair")
        shoot(page, "visit-repair-whole", full_page=True)


def draw(phone, party, seed=0):
    """A signature drawn with the mouse, as a finger would: a few strokes across the pad."""
    canvas = phone.locator(f"#signature-{party}")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for stroke in range(3):
        left = box["x"] + box["width"] * (0.12 + 0.27 * stroke)
        phone.mouse.move(left, box["y"] + box["height"] * 0.5)
        phone.mouse.down()
        for t in range(1, 16):
            phone.mouse.move(left + box["width"] * 0.2 * t / 15,
                             box["y"] + box["height"] * (0.5 + 0.25 * math.sin(t / 2.5 + seed + stroke)))
        phone.mouse.up()


def sign_slip(page):
    """Before 一别: the customer reviews the slip, rates the visit, and both sign."""
    page.get_by_role("link", name="请客户签署服务单").click()
    page.get_by_role("button", name="下一步:服务评价").click()
    page.get_by_role("radio", name="满意", exact=True).click()
    page.get_by_role("button", name="下一步:客户签名").click()
    draw(page, "customer")
    page.get_by_role("button", name="下一步:维修人员签名").click()
    draw(page, "technician")
    page.get_by_role("button", name="确认签名").click()
    on_step(page, "goodbye")


def walk(page, codes, photo, shots=None):
    """Do these steps of the visit, in order, as a technician would: photos where asked, then 完成此步."""
    for code in codes:
        on_step(page, code)
        if code == "repair":
            record_repair(page, photo, shots)
        elif code == "clean_up":
            take_photo(page, "clean_up", "after", photo)
            if shots:
                shots("visit-clean-up")
        elif code == "goodbye":
            sign_slip(page)
        page.get_by_role("button", name="完成此步").click()
