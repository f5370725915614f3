"""Past one server, measured (issue 12): (1) a photo uploaded, a photo and a slip PDF downloaded through the
app with files on local disk vs in an S3-compatible store (moto's server on 127.0.0.1), and (2) the
dispatch board's throughput with one app server vs two, each behind the same round-robin proxy (a small
Python one standing in for nginx), on the same machine.

    python bench/two_servers.py [--database-url URL] [--seconds 15] [--clients 8]

Uses the demo company in a throwaway SQLite database unless --database-url is given (its schema is
dropped). Prints one JSON object.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from burst import Gunicorn  # noqa: E402
from cluster import Cluster  # noqa: E402
from load import Client  # noqa: E402


def prepare(database_url, files_root, extra_env):
    """The demo company, with a token for a technician on site and one for the back office."""
    env = {**os.environ, "SHIFU_ENV": "development", "DATABASE_URL": database_url, "FILES_ROOT": str(files_root),
           "FLASK_APP": "wsgi.py", **extra_env}
    flask = str(Path(sys.executable).parent / "flask")
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([flask, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    script = ("from app import create_app\nfrom app.extensions import db\nfrom app.auth import services as a\n"
              "from app.work_orders.models import WorkOrder\nfrom app.service_slips.models import Slip\n"
              "app=create_app()\nwith app.app_context():\n"
              " o=db.session.execute(db.select(WorkOrder).filter_by(status='on_site')).scalars().first()\n"
              " s=db.session.execute(db.select(Slip)).scalars().first()\n"
              " print(o.id, a.create_token(o.technician,'bench'), a.create_token(a.find_user('backoffice'),'bench'),"
              " a.create_token(a.find_user('dispatcher'),'bench'), s.id)\n db.session.commit()\n")
    out = subprocess.run([str(sys.executable), "-c", script], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout.split()
    return {"order": int(out[0]), "tech": out[1], "desk": out[2], "dispatcher": out[3], "slip": int(out[4])}


def photo_body(raw, order_id):
    boundary = uuid.uuid4().hex
    fields = {"client_uuid": str(uuid.uuid4()), "work_order_id": str(order_id), "step": "repair", "kind": "site"}
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode() + raw + f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def timed(runs, work):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def files_round(port, ids, raw):
    tech, desk = Client("127.0.0.1", port), Client("127.0.0.1", port)
    auth = lambda token: {"Authorization": f"Bearer {token}"}  # noqa: E731

    def upload():
        body, headers = photo_body(raw, ids["order"])
        status, _ = tech.request("POST", "/api/v1/photos", body, {**headers, **auth(ids["tech"])})
        assert status == 200, status

    upload_ms = timed(20, upload)
    status, data = desk.request("GET", f"/api/v1/work-orders/{ids['order']}", None, auth(ids["desk"]))
    photo_id = json.loads(data)["visit"]["photos"][0]["id"] if status == 200 and json.loads(data).get("visit") else 1
    desk.request("GET", f"/api/v1/slips/{ids['slip']}/pdf", None, auth(ids["desk"]))  # rendered once, then served
    return {"photo_upload_ms": upload_ms,
            "photo_download_ms": timed(50, lambda: desk.request("GET", f"/api/v1/photos/{photo_id}", None,
                                                                 auth(ids["desk"]))),
            "slip_pdf_download_ms": timed(50, lambda: desk.request("GET", f"/api/v1/slips/{ids['slip']}/pdf", None,
                                                                    auth(ids["desk"])))}


def throughput(port, seconds, clients):
    """Board pages (/dispatch/board) per second from `clients` signed-in dispatchers, one request after another."""
    desks = []
    for _ in range(clients):
        client = Client("127.0.0.1", port)
        client.sign_in("dispatcher", "shifu-demo-2026")
        desks.append(client)
    done, stop = [], time.perf_counter() + seconds

    def desk(client):
        count = 0
        while time.perf_counter() < stop:
            status, _ = client.request("GET", "/dispatch/board", None, {"Accept": "text/html"})
            count += status == 200
        done.append(count)

    threads = [threading.Thread(target=desk, args=(client,)) for client in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(sum(done) / seconds, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    import io

    import boto3
    from moto.server import ThreadedMotoServer
    from PIL import Image

    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    host, port = s3.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x",
                 aws_secret_access_key="x").create_bucket(Bucket="bench")
    s3_env = {"FILES_URL": "s3://bench/files", "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1",
              "S3_ACCESS_KEY_ID": "x", "S3_SECRET_ACCESS_KEY": "x"}
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    raw = io.BytesIO()
    image.save(raw, "JPEG", quality=88)
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, env in (("local", {}), ("s3", s3_env)):
            url = args.database_url or f"sqlite:///{tmp}/{name}.sqlite"
            ids = prepare(url, Path(tmp) / f"files-{name}", env)
            with Gunicorn(url, Path(tmp) / f"files-{name}", workers=2, env=env) as server:
                result[name] = files_round(server.port, ids, raw.getvalue())
        url = args.database_url or f"sqlite:///{tmp}/local.sqlite"
        with Cluster(url, Path(tmp) / "files-local", {}, servers=1, workers=2) as one:  # the same proxy in front
            result["one_server_rps"] = throughput(one.proxy.port, args.seconds, args.clients)
        with Cluster(url, Path(tmp) / "files-local", {}, servers=2, workers=2) as two:
            result["two_servers_rps"] = throughput(two.proxy.port, args.seconds, args.clients)
    s3.stop()
    for key in ("photo_upload_ms", "photo_download_ms", "slip_pdf_download_ms"):
        result[f"{key}_ratio_s3_to_local"] = round(result["s3"][key] / result["local"][key], 2)
    result["two_to_one_servers"] = round(result["two_servers_rps"] / result["one_server_rps"], 2)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
