"""What the technician's phone downloads and uploads: first load, repeat load, one photo. Prints Markdown.

    .venv/bin/python bench/field_bytes.py [--keep]

Starts its own server (`flask run` on a free loopback port, a temp SQLite file migrated with `flask db
upgrade` and filled with `flask demo load`, a random SECRET_KEY; instance/ is never touched) and drives
Debian's Chromium with Playwright at 390×844, signed in as the demo technician T1001.

- First load: a phone that never opened the app opens /field/, signs in and sees 我的工单; then the
  service worker installs and stores the shell. Every response is counted (page and worker), raw as the
  Flask dev server sends it (it does not compress) and gzip -6 as nginx would send text. A 304 costs
  its headers only and is counted as 0 bytes of body.
- Repeat load: the page is opened again. Shell files (CSS, modules, icons) fetched from the network
  rather than the service worker are counted: the goal is none. The page itself is network-first by
  design (a new version shows at once when there is signal), so it is one request; so are the data
  requests (session, bundle: a 304 when nothing changed).
- Photo: a 12-megapixel camera JPEG (4000×3000, noisy like a real sensor, EXIF orientation 6) goes
  through the page's own downscale (static/js/field/photo.js) via a file input; the blob it would
  upload is measured.

Goals (issue 3): first load ≤ 150 KB compressed, repeat load no shell request, photo ≤ 400 KB.
"""
import argparse
import contextlib
import gzip
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
USER, PASSWORD = "T1001", "shifu-demo-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp):
    env = {**os.environ, "SHIFU_ENV": "development", "SECRET_KEY": secrets.token_hex(16), "SECURE_COOKIES": "0",
           "FLASK_APP": "wsgi.py", "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "FILES_ROOT": f"{tmp}/files",
           "LOGIN_RATE_LIMIT": "1000 per minute"}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([VENV / "flask", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    with open(f"{tmp}/access.log", "w") as log:  # werkzeug's access log: the server's account of each request
        server = subprocess.Popen([VENV / "flask", "run", "--port", str(port), "--no-reload"], cwd=ROOT, env=env,
                                  stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/api/v1/session", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench: the server did not answer")


LOG_LINE = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP/[\d.]+" (\d{3})')
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class ServerLog:
    """What the server really sent, from its access log: (method, path, status). The browser reports a
    revalidated file (304) as a 200 from its cache, so only the server can tell the two apart."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def take(self):
        with open(self.path, encoding="utf-8", errors="replace") as log:
            log.seek(self.offset)
            text = log.read()
            self.offset = log.tell()
        return [(m[1], urlsplit(m[2]).path, int(m[3])) for m in LOG_LINE.finditer(ANSI.sub("", text))]


class Traffic:
    """What the page saw: whether each response came from the service worker, and the API bodies."""

    def __init__(self, context):
        self.rows = []
        context.on("response", self._record)

    def _record(self, response):
        path = urlsplit(response.url).path
        body = b""
        if path.startswith("/api/") and response.status == 200:
            with contextlib.suppress(Exception):  # a body the browser already dropped
                body = response.body()
        self.rows.append({"path": path, "status": response.status, "body": body,
                          "from_worker": response.from_service_worker,
                          "by_worker": response.request.service_worker is not None})

    def take(self):
        rows, self.rows = self.rows, []
        return rows


def camera_jpeg():
    """A 4000×3000 picture with the texture of a real one (gradients, edges, sensor noise), ~3–4 MB."""
    image = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(14):  # radiator fins, a window, a pipe: edges the encoder has to keep
        draw.rectangle((700 + i * 180, 800, 800 + i * 180, 2300), fill=(210 - i * 6, 200, 190))
    draw.rectangle((200, 200, 1100, 1500), fill=(150, 180, 220))
    draw.line((0, 2600, 4000, 2500), fill=(90, 90, 90), width=60)
    image = image.filter(ImageFilter.GaussianBlur(2))
    # Texture at several scales, as in a real scene (plaster, fabric, grain): fine sensor noise alone
    # would average away in the downscale and flatter the result.
    for scale, weight in ((1, 0.12), (3, 0.15), (9, 0.12)):
        noise = Image.effect_noise((4000 // scale, 3000 // scale), 40).resize((4000, 3000)).convert("RGB")
        image = Image.blend(image, noise, weight)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def kb(n):
    return f"{n / 1024:,.1f} KB"


def is_shell(path):
    return path.startswith("/static/") or path in ("/field/", "/field/offline", "/field/manifest.webmanifest")


class Sizes:
    """Body sizes of what the server sent with a 200: files from disk, pages from the server, API from the page."""

    def __init__(self, url):
        self.url = url
        self.known = {}

    def learn(self, traffic_rows):
        self.known.update({r["path"]: r["body"] for r in traffic_rows if r["body"]})

    def body(self, path):
        if path not in self.known:
            if path.startswith("/static/"):
                self.known[path] = (ROOT / path.lstrip("/")).read_bytes()
            elif not path.startswith("/api/"):
                self.known[path] = urllib.request.urlopen(self.url + path, timeout=10).read()
        return self.known.get(path, b"")

    def row(self, method, path, status):
        body = self.body(path) if status == 200 else b""  # a 304 is headers only
        packed = body if path.endswith((".png", ".jpg")) else gzip.compress(body, 6)
        return {"method": method, "path": path, "status": status, "raw": len(body), "gzip": len(packed)}


def first_load(page, url, traffic, log):
    page.goto(f"{url}/field/")
    page.get_by_label("工号").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator(".job-card").first.wait_for()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_timeout(1500)  # the first sync pass settles (bundle stored)
    return log.take(), traffic.take()


def repeat_load(page, traffic, log):
    page.reload()
    page.locator(".job-card").first.wait_for()
    page.wait_for_timeout(1500)
    return log.take(), traffic.take()


def photo_size(page, tmp):
    path = Path(tmp) / "IMG_20261125_143005.jpg"
    path.write_bytes(camera_jpeg())
    page.evaluate("""() => { const input = document.createElement("input");
        input.type = "file"; input.id = "bench-photo"; document.body.append(input); }""")
    page.locator("#bench-photo").set_input_files(str(path))
    result = page.evaluate("""async () => {
        const { downscale } = await import("/static/js/field/photo.js");
        const started = performance.now();
        const blob = await downscale(document.getElementById("bench-photo").files[0]);
        const ms = performance.now() - started;
        const bitmap = await createImageBitmap(blob);
        return { bytes: blob.size, type: blob.type, width: bitmap.width, height: bitmap.height, ms };
    }""")
    return path.stat().st_size, result


def line(label, rows):
    statuses = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    how = ", ".join(f"{n}× {status}" for status, n in sorted(statuses.items())) or "none"
    return (f"| {label} | {len(rows)} ({how}) | {kb(sum(r['raw'] for r in rows))} | "
            f"{kb(sum(r['gzip'] for r in rows))} |")


def table(first, repeat, repeat_traffic, photo):
    lines = ["| load | requests the server answered | raw bytes | gzip -6 |", "|---|---|---:|---:|"]
    lines.append(line("first load: app shell (page, CSS, modules, icons, manifest, worker)",
                      [r for r in first if not r["path"].startswith("/api/")]))
    data = [r for r in first if r["path"].startswith("/api/")]
    lines.append(line("first load: data (session, sign-in, bundle)", data))
    lines.append(line("**first load, total**", first))
    from_network = [r for r in repeat if r["path"].startswith("/static/")]
    lines.append(line("repeat load: shell files from the network", from_network).replace(
        f"| {len(from_network)} (", f"| **{len(from_network)}** ("))
    lines.append(f"| repeat load: shell files the service worker answered | "
                 f"{sum(1 for r in repeat_traffic if is_shell(r['path']) and r['from_worker'])} | 0 | 0 |")
    lines.append(line("repeat load: the page (network-first; and the worker's update check, if the browser made one)",
                      [r for r in repeat if r["path"].startswith("/field/")]))
    lines.append(line("repeat load: data", [r for r in repeat if r["path"].startswith("/api/")]))
    original, result = photo
    lines.append(f"| photo: 12 MP camera JPEG ({kb(original)}) → {result['width']}×{result['height']} "
                 f"{result['type']}, {result['ms']:.0f} ms on this machine | 1 upload | **{kb(result['bytes'])}** | |")
    return "\n".join(lines)


def asset_table(rows):
    seen = {r["path"]: r for r in rows if r["status"] == 200 and not r["path"].startswith("/api/")}
    lines = ["| file | raw | gzip -6 |", "|---|---:|---:|"]
    lines += [f"| `{path}` | {r['raw']:,} B | {r['gzip']:,} B |" for path, r in sorted(seen.items())]
    total_raw = sum(r["raw"] for r in seen.values())
    total_gzip = sum(r["gzip"] for r in seen.values())
    lines.append(f"| **all shell files** | {total_raw:,} B | {total_gzip:,} B |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (database, photos)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = tempfile.mkdtemp(prefix="shifu-field-bench-")
    server, url = start_server(tmp)
    log = ServerLog(f"{tmp}/access.log")
    log.take()  # the start-up check
    sizes = Sizes(url)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                          timezone_id="Asia/Shanghai")
            traffic = Traffic(context)
            page = context.new_page()
            first_log, first_traffic = first_load(page, url, traffic, log)
            repeat_log, repeat_traffic = repeat_load(page, traffic, log)
            photo = photo_size(page, tmp)
            browser.close()
        sizes.learn(first_traffic + repeat_traffic)
        first = [sizes.row(*entry) for entry in first_log]
        repeat = [sizes.row(*entry) for entry in repeat_log]
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("## Field app: bytes on the wire (bench/field_bytes.py)\n")
    print(table(first, repeat, repeat_traffic, photo))
    print("\n### Shell files, as the first load sent them (nginx would gzip the text ones)\n")
    print(asset_table(first))


if __name__ == "__main__":
    main()
