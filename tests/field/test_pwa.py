"""The field app installs and opens with no network: manifest, icons, service worker, the shell from its cache."""
import re
from pathlib import Path

from PIL import Image

from tests.field.phone import worker_ready

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_manifest_installs_师傅_full_screen_on_my_jobs(client):
    response = client.get("/field/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert (manifest["name"], manifest["short_name"], manifest["display"]) == ("师傅", "师傅", "standalone")
    assert (manifest["start_url"], manifest["scope"]) == ("/field/#/jobs", "/field/")
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
        with Image.open(STATIC / icon["src"].removeprefix("/static/")) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])


def test_the_shell_links_the_manifest_and_the_home_screen_icon_for_iphone(client):
    html = client.get("/field/").get_data(as_text=True)
    assert '<link rel="manifest" href="/field/manifest.webmanifest">' in html
    assert 'rel="apple-touch-icon" href="/static/img/field/apple-touch-icon.png"' in html
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in html
    with Image.open(STATIC / "img/field/apple-touch-icon.png") as icon:
        assert icon.size == (180, 180)


def test_the_worker_is_fresh_scoped_to_the_field_app_and_lists_every_module(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200 and response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', source).group(1)
    modules = {f"/static/{p.relative_to(STATIC).as_posix()}" for p in STATIC.glob("js/field/*.js")}
    modules |= {f"/static/{p.relative_to(STATIC).as_posix()}" for p in STATIC.glob("js/offline/*.js")}
    modules -= {"/static/js/offline/service-worker.js"}
    for url in modules | {"/field/", "/field/offline", "/static/css/field.css", "/static/js/clocks/countdown.js"}:
        assert f'"{url}"' in source, url
    assert "/api/" not in source.split("const SHELL")[1].split("];")[0]  # data is never cached here
    unchanged = client.get("/field/sw.js", headers={"If-None-Match": f'"{version}"'})
    assert unchanged.status_code == 304


def test_the_offline_page_needs_no_script(client):
    html = client.get("/field/offline").get_data(as_text=True)
    assert "现在没有网络" in html and "<script" not in html


def test_a_second_visit_takes_the_whole_shell_from_the_worker(live_server, phone):
    phone.goto(f"{live_server}/field/")
    worker_ready(phone)
    shell = []
    phone.on("response", lambda r: shell.append((r.url, r.from_service_worker)) if "/static/" in r.url else None)
    phone.reload()
    phone.get_by_label("工号").wait_for()
    assert shell and all(from_worker for _, from_worker in shell), shell
    assert {url.split("/static/")[1] for url, _ in shell} >= {"css/field.css", "js/field/app.js", "js/offline/sync.js"}
