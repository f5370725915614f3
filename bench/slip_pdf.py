"""What a printed slip costs: render time against a trivial PDF, size, memory, and other requests' wait.

    .venv/bin/python bench/slip_pdf.py [--renders 30] [--seconds 8] [--no-server]

1. In this process, renderer warm: --renders renders of the 3-page slip with two signatures, each
   followed by a trivial one-page render (`render_trivial()`, same fonts and stylesheets), so both see
   the same machine; median, p90 and the ratio, plus a crowded slip (12 lines, 5 readings, a
   500-character comment) and the customer's copy alone.
2. A fresh process that imports the app, renders 30 slips and reports its peak resident set after
   each stage: VmHWM from /proc/self/status, everything the kernel counted (Python, WeasyPrint, Pango,
   the font files it reads). Not ru_maxrss: on Linux a child started by fork + exec reports at least
   the parent's peak there.
3. Served by gunicorn on the demo data in a temporary SQLite database, one worker per core: as README
   runs it (sync workers), as bench/run.sh does (gthread, one thread each), and gthread with two
   threads. The latency of the cheap `GET /api/v1/session` (the floor in BENCHMARKS.md), sent at a
   person's pace, while idle, while one client renders PDFs through `GET /api/v1/slips/<id>/pdf`
   over and over, and while as many clients render as there are workers. The route keeps what it
   rendered, so a rendering client deletes its slip's stored PDFs before each request: every request
   renders. Then each worker's VmHWM.

Prints Markdown tables; writes bench/results/slip_pdf.json (gitignored). Loopback only; the temp dir
is deleted at the end.
"""
import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from load import Client, percentile  # noqa: E402

VENV = ROOT / ".venv" / "bin"
PASSWORD = "shifu-demo-2026"  # the demo's
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": "sqlite://"}


def ms(values):
    return {"median_ms": round(statistics.median(values) * 1000, 1), "p90_ms": round(percentile(values, 0.9) * 1000, 1)}


def timed(render, *args, **kwargs):
    started = time.perf_counter()
    pdf = render(*args, **kwargs)
    return time.perf_counter() - started, len(pdf)


def in_process(renders):
    os.environ.setdefault("SHIFU_ENV", "testing")
    from app import create_app
    from app.service_slips.pdf import render_slip, render_trivial
    from tests.service_slips.documents import crowded_document, sample_document

    with create_app(TEST_CONFIG).app_context():
        cases = {
            "slip, 3 pages, two signatures": (render_slip, (sample_document(),), {}),
            "crowded slip, 3 pages": (render_slip, (crowded_document(),), {}),
            "customer's copy, 1 page": (render_slip, (sample_document(),), {"copies": ("customer",)}),
            "trivial: one line, 1 page": (render_trivial, (), {}),
        }
        first = timed(render_slip, sample_document())[0]  # builds the fonts and stylesheets
        times, sizes = {name: [] for name in cases}, {}
        for _ in range(renders):
            for name, (render, args, kwargs) in cases.items():
                seconds, sizes[name] = timed(render, *args, **kwargs)
                times[name].append(seconds)
    floor = statistics.median(times["trivial: one line, 1 page"])
    rows = [{"case": name, **ms(values), "x_trivial": round(statistics.median(values) / floor, 1),
             "kb": round(sizes[name] / 1024, 1)} for name, values in times.items()]
    return {"first_render_ms": round(first * 1000), "renders": renders, "rows": rows}


def child_memory():
    """Run as a fresh process: peak resident set after each stage, in MB."""
    os.environ.setdefault("SHIFU_ENV", "testing")
    stages = {}

    def mark(stage):
        stages[stage] = proc_status("self")["VmHWM"]

    mark("python started")
    from app import create_app
    from tests.service_slips.documents import sample_document

    app = create_app(TEST_CONFIG)
    document = sample_document()
    mark("app created (no WeasyPrint yet)")
    from app.service_slips.pdf import render_slip

    mark("renderer imported")
    with app.app_context():
        render_slip(document)
        mark("first slip rendered")
        for _ in range(29):
            render_slip(document)
        mark("30 slips rendered")
    print(json.dumps(stages))


def fresh_process_memory():
    out = subprocess.run([sys.executable, __file__, "--child-memory"], check=True, capture_output=True, text=True,
                         cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


class Demo:
    """The demo data in a temporary SQLite database, served by gunicorn on a free loopback port."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="shifu-slip-bench."))
        self.port = free_port()
        self.env = {**os.environ, "SHIFU_ENV": "development", "SECRET_KEY": f"bench-{os.urandom(8).hex()}",
                    "SECURE_COOKIES": "0", "FLASK_APP": "wsgi.py", "LOGIN_RATE_LIMIT": "100000 per minute",
                    "DATABASE_URL": f"sqlite:///{self.tmp}/bench.sqlite", "FILES_ROOT": str(self.tmp / "files"),
                    "MALLOC_MMAP_THRESHOLD_": "1048576"}
        self.process = None

    def __enter__(self):
        for command in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([VENV / "flask", *command], env=self.env, cwd=ROOT, check=True, capture_output=True)
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, workers, worker_class, threads):
        threads = ["--threads", str(threads)] if worker_class == "gthread" else []
        self.process = subprocess.Popen(
            [VENV / "gunicorn", "-w", str(workers), "-k", worker_class, *threads, "-b", f"127.0.0.1:{self.port}",
             "--no-control-socket", "--error-logfile", str(self.tmp / "gunicorn.log"), "wsgi:app"],
            env=self.env, cwd=ROOT)
        for _ in range(150):
            try:
                Client("127.0.0.1", self.port).request("GET", "/api/v1/session")
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"bench: gunicorn did not answer; see {self.tmp / 'gunicorn.log'}")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(30)
            self.process = None

    def signed_slips(self):
        with sqlite3.connect(self.tmp / "bench.sqlite") as connection:
            return connection.execute("SELECT id, content_sha256 FROM service_slips WHERE status = 'signed'").fetchall()

    def forget_pdfs(self, content_sha256):
        shutil.rmtree(self.tmp / "files" / "slips" / content_sha256[:16], ignore_errors=True)

    def worker_memory(self):
        pids = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True,
                              text=True).stdout.split()
        return [proc_status(pid) for pid in pids]

    def client(self, username):
        client = Client("127.0.0.1", self.port)
        client.sign_in(username, PASSWORD)
        return client


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status(pid):
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: round(int(fields[key].split()[0]) / 1024) for key in ("VmRSS", "VmHWM")}


def render_loop(demo, client, slips, stop, out):
    """Render one slip after another until told to stop; each request finds no stored PDF."""
    latencies, sizes, n = [], [], 0
    while not stop.is_set():
        slip_id, content_sha256 = slips[n % len(slips)]
        n += 1
        demo.forget_pdfs(content_sha256)
        started = time.perf_counter()
        status, data = client.request("GET", f"/api/v1/slips/{slip_id}/pdf")
        if status != 200:
            raise SystemExit(f"bench: PDF answered {status}: {data[:300]!r}")
        latencies.append(time.perf_counter() - started)
        sizes.append(len(data))
    out.append((latencies, sizes))


def phase(demo, probe, renderers, slips, seconds):
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=render_loop, args=(demo, client, slips[i::len(renderers)], stop, results))
               for i, client in enumerate(renderers)]
    for thread in threads:
        thread.start()
    time.sleep(0.5 if threads else 0)  # let the renders get going
    latencies, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, _ = probe.request("GET", "/api/v1/session")
        assert status == 200
        latencies.append(time.perf_counter() - started)
        time.sleep(0.01)  # a person's pace, not a flood: ~90 requests a second
    stop.set()
    for thread in threads:
        thread.join(60)
    renders = [x for latencies_, _ in results for x in latencies_]
    sizes = [x for _, sizes_ in results for x in sizes_]
    probe_ms = {f"p{p}_ms": round(percentile(latencies, p / 100) * 1000, 1) for p in (50, 95, 99)}
    return {"rendering_clients": len(renderers), "probe_requests": len(latencies), **probe_ms,
            "probe_max_ms": round(max(latencies) * 1000, 1), "renders": len(renders),
            "render_p50_ms": round(statistics.median(renders) * 1000) if renders else None,
            "pdf_kb": round(statistics.median(sizes) / 1024, 1) if sizes else None}


SERVERS = (("sync", 1), ("gthread", 1), ("gthread", 2))  # README's; bench/run.sh's; one more thread


def served(seconds):
    """Each gunicorn set-up in SERVERS, one worker per core, on the same data."""
    workers, results = os.cpu_count(), []
    with Demo() as demo:
        slips = demo.signed_slips()
        for worker_class, threads in SERVERS:
            demo.start(workers, worker_class, threads)
            probe = demo.client("T1001")
            renderers = [demo.client("dispatcher") for _ in range(workers)]
            phase(demo, probe, renderers, slips, 3)  # warm-up: every worker imports WeasyPrint, builds its fonts
            phases = [phase(demo, probe, renderers[:n], slips, seconds) for n in (0, 1, workers)]
            results.append({"worker_class": worker_class, "workers": workers, "threads": threads, "phases": phases,
                            "worker_memory_mb": demo.worker_memory()})
            demo.stop()
    return {"demo_slips": len(slips), "servers": results}


def machine():
    import PIL
    import weasyprint

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "weasyprint": weasyprint.__version__, "pillow": PIL.__version__, "loadavg_1m": os.getloadavg()[0]}


def report(results):
    print(f"machine: {results['machine']}\n")
    local = results["in_process"]
    print(f"renderer warm, {local['renders']} renders each, interleaved; first render in the process "
          f"{local['first_render_ms']} ms\n")
    print("| document | median ms | p90 ms | × trivial | KB |\n|---|--:|--:|--:|--:|")
    for row in local["rows"]:
        print(f"| {row['case']} | {row['median_ms']} | {row['p90_ms']} | {row['x_trivial']} | {row['kb']} |")
    print("\nfresh process, peak resident set (VmHWM) MB: " + ", ".join(
        f"{stage} {mb}" for stage, mb in results["fresh_process_memory"].items()))
    if "served" in results:
        print("\n| gunicorn | rendering clients | probe requests | p50 ms | p95 ms | p99 ms | max ms | renders "
              "| render p50 ms |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|")
        for server in results["served"]["servers"]:
            name = f"{server['workers']} × {server['worker_class']}, {server['threads']} thread(s)"
            for p in server["phases"]:
                print(f"| {name} | {p['rendering_clients']} | {p['probe_requests']} | {p['p50_ms']} | {p['p95_ms']} | "
                      f"{p['p99_ms']} | {p['probe_max_ms']} | {p['renders']} | {p['render_p50_ms'] or ''} |")
        for server in results["served"]["servers"]:
            print(f"\n{server['worker_class']} × {server['threads']} thread(s), worker memory after the renders, MB: "
                  f"{server['worker_memory_mb']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=8, help="length of each served phase")
    parser.add_argument("--no-server", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--child-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        return child_memory()
    results = {"machine": machine(), "in_process": in_process(args.renders),
               "fresh_process_memory": fresh_process_memory()}
    if not args.no_server:
        results["served"] = served(args.seconds)
    results["machine"]["loadavg_1m_end"] = os.getloadavg()[0]
    report(results)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "slip_pdf.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
