"""Several app servers as a company runs them (docs/deployment.md), on one machine: N gunicorn processes on
their own ports sharing one database, one S3-compatible store and one Redis (queue and limits), behind a
small round-robin proxy on 127.0.0.1 that stands in for nginx. Used by tests/test_two_servers.py and by
bench/two_servers.py."""
import http.client
import itertools
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from burst import Gunicorn  # noqa: E402

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization",
              "proxy-authenticate"}


class RoundRobinProxy:
    """Each request to the next server in turn, as nginx's upstream does by default."""

    def __init__(self, ports):
        turn = itertools.cycle(ports)
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):
                pass

            def _forward(self):
                with lock:
                    port = next(turn)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["X-Forwarded-For"] = self.client_address[0]
                upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Upstream-Port", str(port))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Cluster:
    """`servers` gunicorn processes with the same settings (one SECRET_KEY, the shared services in `env`)."""

    def __init__(self, database_url, files_root, env, servers=2, workers=2, log_dir=None):
        shared = {"SECRET_KEY": f"cluster-{uuid.uuid4()}", **env}
        self.servers = [Gunicorn(database_url, files_root, workers=workers, env=shared,
                                 log_path=(Path(log_dir) / f"server-{n}.log") if log_dir else None)
                        for n in range(servers)]
        self.proxy = RoundRobinProxy([server.port for server in self.servers])
        self.env, self.database_url = shared, database_url

    def work(self):
        """`flask jobs worker --burst`: a worker process with the servers' settings runs what is queued, then stops."""
        env = {**os.environ, "SHIFU_ENV": "development", "FLASK_APP": "wsgi.py", "DATABASE_URL": self.database_url,
               **self.env}
        flask = Path(sys.executable).parent / "flask"
        return subprocess.run([str(flask), "jobs", "worker", "--burst"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)

    def stop(self):
        self.proxy.stop()
        for server in self.servers:
            server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()
