"""A whole paid visit captured with no signal (9 steps, 4 photos, the quote, both signatures), then the signal
back on a weak link (Chromium's network emulation: 1.6 Mbps down, 750 kbps up, 150 ms round trip): everything
reaches the server once, and the phone shows each item going up with its bytes while it does.

The time it takes is measured, not asserted: with BENCH_RESULTS=<file> the test writes it there with the
bytes sent (bench/visit_upload.sh runs it so; BENCHMARKS.md has the figures)."""
import io
import itertools
import json
import os
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.extensions import db
from app.photos.models import Photo
from app.service_slips.models import Slip
from app.visits.models import PhotoRule
from tests.field.phone import (
    STEPS,
    expect_synced,
    forgive_network_errors,
    on_step,
    phone_data,
    take_photo,
    worker_ready,
)
from tests.field.test_slip_signing import paid_job, quote_an_own_valve, sign_the_slip  # noqa: F401 (fixture)
from tests.field.test_visit_browser import arrive

WEAK_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}


@pytest.fixture
def four_photos(app, paid_job):  # noqa: F811 (the fixture imported above)
    """The company also asks for a photo of the laid-out tools (铺): with 一修's two and 一清's, four."""
    with app.app_context():
        db.session.add(PhotoRule(step="lay_out", kind="site"))
        db.session.commit()
    return paid_job


def record_the_upload_line(phone):
    """Every text the upload line shows, kept in the page as it changes."""
    phone.evaluate("""() => {
        window.uploads = [];
        const line = document.getElementById("upload-line");
        new MutationObserver(() => window.uploads.push({ shown: !line.hidden, text: line.textContent.trim(),
            loaded: Number(line.dataset.loaded || 0) })).observe(line, { attributes: true, childList: true,
            subtree: true, characterData: true });
    }""")


def bytes_waiting(phone):
    """What the outbox will send: each photo's JPEG and each command's JSON."""
    return phone.evaluate("""async () => {
        const { tx } = await import("/static/js/offline/db.js");
        const { blobOf } = await import("/static/js/offline/outbox.js");
        const items = await tx("outbox", "readonly", (s) => s.outbox.all("seq"));
        let photos = 0, commands = 0;
        for (const item of items) {
            if (item.type === "photo") photos += (await blobOf(item)).size;
            else commands += new Blob([JSON.stringify(item)]).size;
        }
        return { photos, commands };
    }""")


def the_whole_visit(phone, photo_file):
    """Every step from 一敲 on: 铺's photo, 一修's two and its quote, 一清's photo, both signatures, 一别."""
    for code in STEPS[:6]:
        on_step(phone, code)
        if code == "lay_out":
            take_photo(phone, "lay_out", "site", photo_file)
        phone.get_by_role("button", name="完成此步").click()
    quote_an_own_valve(phone, photo_file)
    on_step(phone, "clean_up")
    take_photo(phone, "clean_up", "after", photo_file)
    phone.get_by_role("button", name="完成此步").click()
    sign_the_slip(phone)
    phone.get_by_role("button", name="确认签名").click()
    on_step(phone, "goodbye")
    phone.get_by_role("button", name="完成此步").click()
    expect(phone.get_by_role("heading", name="入户服务小结")).to_be_visible()


def requests_for(waiting):
    """The requests the outbox makes: a photo alone, each run of records between photos in one (POST /commands for
    a run of one, /commands/batch for more; a visit's runs are shorter than the phone's limit, 25)."""
    paths = []
    for photo, items in itertools.groupby(waiting, key=lambda item: item["type"] == "photo"):
        count = len(list(items))
        if photo:
            paths += ["/photos"] * count
        else:
            paths.append("/commands" if count == 1 else "/commands/batch")
    return paths


def weak_link(phone, offline=False):
    network = phone.context.new_cdp_session(phone)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {**WEAK_LINK, "offline": offline})
    return network


def on_the_server(app):
    with app.app_context():
        assert db.session.query(Photo).count() == 4
        slip = db.session.execute(db.select(Slip)).scalar_one()
        assert slip.status == "signed" and len(slip.signatures) == 2
        for signature in slip.signatures:  # greyscale, ink on white: a third of a canvas's RGBA PNG
            with Image.open(io.BytesIO(signature.png)) as image:
                darkest, lightest = image.getextrema()
                assert image.mode == "L" and image.size == (800, 400) and darkest < 64 and lightest == 255
            assert len(signature.png) < 20 * 1024


def measured(scenario, **figures):
    """With BENCH_RESULTS=<file>: this scenario's figures added to the file (bench/visit_upload.sh)."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    results = json.loads(Path(path).read_text(encoding="utf-8")) if os.path.exists(path) else {}
    results[scenario] = {**figures, "link": WEAK_LINK}
    with open(path, "w", encoding="utf-8") as out:
        json.dump(results, out, indent=1)


def test_a_visit_captured_offline_goes_up_item_by_item_on_a_weak_link(app, live_server, phone, four_photos,
                                                                     photo_file):
    arrive(phone, live_server, four_photos["order"])
    worker_ready(phone)
    # One switch for the signal, the weak link's own: with Playwright's offline beside it, the page was told it
    # was online by one while the other still held it offline, and (under load) its first attempt failed.
    network = weak_link(phone, offline=True)
    the_whole_visit(phone, photo_file)

    waiting = phone_data(phone)["waiting"]
    photos = [item for item in waiting if item["type"] == "photo"]
    assert len(photos) == 4 and len(waiting) > 12
    sent = bytes_waiting(phone)
    record_the_upload_line(phone)
    requests = []
    phone.on("request", lambda r: requests.append(r.url) if r.method == "POST" and "/api/v1/" in r.url else None)
    started = time.perf_counter()
    network.send("Network.emulateNetworkConditions", WEAK_LINK)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#status-line")).to_have_attribute("data-waiting", "0", timeout=120_000)
    seconds = time.perf_counter() - started
    expect_synced(phone)
    network.send("Network.emulateNetworkConditions", {**WEAK_LINK, "downloadThroughput": -1, "uploadThroughput": -1,
                                                      "latency": 0})

    on_the_server(app)
    shown = phone.evaluate("window.uploads")
    partway = [entry for entry in shown if "照片" in entry["text"] and entry["loaded"] > 0]
    assert partway, shown  # a photo was seen going up, kilobytes by kilobyte
    assert any(f"/{len(waiting)} 照片" in entry["text"] and "KB" in entry["text"] for entry in shown), shown
    # A photo alone, the records between two photos together: one request for each, not one per record.
    assert [url.rsplit("/api/v1", 1)[1] for url in requests] == requests_for(waiting), requests
    assert any("条记录" in entry["text"] for entry in shown), shown
    expect(phone.locator("#upload-line")).to_be_hidden()
    forgive_network_errors(phone)

    measured("captured offline, then the weak link", items=len(waiting), photos=len(photos),
             photo_bytes=sent["photos"], command_bytes=sent["commands"], seconds=round(seconds, 2),
             progress_updates=len(shown))


def test_a_visit_on_a_weak_link_is_on_the_server_soon_after_the_last_tap(app, live_server, phone, four_photos,
                                                                         photo_file):
    """The usual case: some signal all along. What is left to send when 一别 is tapped goes up at once."""
    arrive(phone, live_server, four_photos["order"])
    worker_ready(phone)
    weak_link(phone)
    the_whole_visit(phone, photo_file)
    left = len(phone_data(phone)["waiting"])
    finished = time.perf_counter()
    expect(phone.locator("#status-line")).to_have_attribute("data-waiting", "0", timeout=120_000)
    seconds = time.perf_counter() - finished
    expect_synced(phone)
    on_the_server(app)
    measured("on the weak link throughout, from the last tap", items_left_at_the_last_tap=left,
             seconds=round(seconds, 2))
