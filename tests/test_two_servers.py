"""Past one server (issue 12, done when): two gunicorn servers behind a round-robin proxy on 127.0.0.1, sharing
one database, one S3 server (moto's) and one Redis. A technician's visit with photos uploaded through server
A and signed there; its slip rendered by a worker process and downloaded through server B; the photos read
back through B; and the login limit counting across both."""
import base64
import json
import sys
import uuid
from pathlib import Path

import boto3
import pytest

from app.auth import services as auth
from app.auth.models import User
from app.extensions import db
from app.service_slips import content
from app.service_slips import services as slips
from app.visits import services as visits
from app.work_orders.models import WorkOrder
from tests import factories
from tests.files.conftest import BUCKET, s3_config
from tests.photos.test_photos import jpeg
from tests.service_slips.conftest import choices

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from cluster import Cluster  # noqa: E402
from load import Client  # noqa: E402


@pytest.fixture
def cluster(app, redis_url, s3_server, tmp_path):
    files = s3_config(s3_server)
    env = {"FILES_URL": files["SHIFU_FILES_URL"], "S3_ENDPOINT_URL": s3_server, "S3_REGION": "us-east-1",
           "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test", "QUEUE_URL": redis_url.replace("/0", "/1"),
           "RATELIMIT_STORAGE_URI": redis_url, "LOGIN_ACCOUNT_RATE_LIMIT": "3 per 15 minutes"}
    import redis

    for url in (env["QUEUE_URL"], redis_url):
        redis.Redis.from_url(url).flushdb()
    with Cluster(app.config["SQLALCHEMY_DATABASE_URI"], app.config["SHIFU_FILES_ROOT"], env, servers=2, workers=2,
                 log_dir=tmp_path) as running:
        yield running


class Api:
    """A bearer-token client of one server (or of the proxy)."""

    def __init__(self, port, token):
        self.client, self.token = Client("127.0.0.1", port), token

    def send(self, method, path, body=None, headers=None):
        return self.client.request(method, path, body, {"Authorization": f"Bearer {self.token}", **(headers or {})})

    def json(self, method, path, payload):
        status, data = self.send(method, path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        return status, json.loads(data) if data else None

    def command(self, order_id, type_, payload):
        status, answer = self.json("POST", "/api/v1/commands", {"client_uuid": str(uuid.uuid4()), "type": type_,
                                                                "work_order_id": order_id, "payload": payload})
        assert status == 200, answer
        return answer

    def photo(self, order_id, kind, raw):
        boundary = uuid.uuid4().hex
        fields = {"client_uuid": str(uuid.uuid4()), "work_order_id": str(order_id), "step": "repair", "kind": kind}
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{kind}.jpg"\r\n'
                     "Content-Type: image/jpeg\r\n\r\n".encode() + raw + f"\r\n--{boundary}--\r\n".encode())
        status, data = self.send("POST", "/api/v1/photos", b"".join(parts),
                                 {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 200, data[:500]


def test_a_visit_through_server_a_is_printed_by_the_worker_and_read_through_server_b(app, cluster, s3_server):
    first, second = cluster.servers
    with app.app_context():
        visits.ensure_default_photo_rules()
        area = factories.area(factories.branch(code="CD", name="城东分公司"))
        tech = factories.technician(area, username="T9001")
        desk = factories.user("back_office")
        order = factories.work_order(factories.household(factories.estate(area)), technician_=tech)
        tokens = {"tech": auth.create_token(tech, "phone"), "desk": auth.create_token(desk, "desk")}
        order_id, tech_id = order.id, tech.id
        db.session.commit()

    phone = Api(first.port, tokens["tech"])  # everything the technician does goes to server A
    for action in ("accept", "depart", "arrive"):
        phone.command(order_id, "transition", {"action": action})
    phone.photo(order_id, "before", jpeg(1600, 1200))
    phone.photo(order_id, "after", jpeg(1600, 1200))
    phone.command(order_id, "repair", {"fault_location": "company", "resolution": "free",
                                       "diagnosis": "阀芯脱落", "result": "更换阀芯,暖气已热"})
    with app.app_context():
        submission = choices(method="none")
        technician, order = db.session.get(User, tech_id), db.session.get(WorkOrder, order_id)
        document = slips.preview(technician, order, submission)
        payload = {**submission, "content": document, "content_sha256": content.digest(document),
                   "signed_at": content.utc_text(submission["signed_at"]),
                   "signatures": {k: base64.b64encode(v).decode() for k, v in submission["signatures"].items()}}
        db.session.rollback()
    phone.command(order_id, "sign_slip", payload)

    office = Api(second.port, tokens["desk"])  # the back office reads through server B
    status, detail = office.json("GET", f"/api/v1/work-orders/{order_id}", None)
    slip_id = detail["slip"]["id"] if detail.get("slip") else None
    with app.app_context():
        slip_id = slip_id or slips.current_slip(order_id).id
        photos = [(p.id, p.storage_key) for p in order_photos(order_id)]
    status, data = office.send("GET", f"/api/v1/slips/{slip_id}/pdf", headers={"Accept": "application/pdf"})
    assert status in (200, 202)
    worked = cluster.work()
    assert worked.returncode == 0, worked.stderr[-2000:]
    status, pdf = office.send("GET", f"/api/v1/slips/{slip_id}/pdf", headers={"Accept": "application/pdf"})
    assert status == 200 and pdf.startswith(b"%PDF")

    bucket = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    prefix = cluster.env["FILES_URL"].split(f"s3://{BUCKET}/")[1] + "/"
    stored = {item["Key"][len(prefix):] for item in bucket.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["Contents"]}
    assert any(key.startswith("slips/") for key in stored)
    for photo_id, key in photos:
        assert key in stored
        status, data = office.send("GET", f"/api/v1/photos/{photo_id}")
        assert status == 200 and data == bucket.get_object(Bucket=BUCKET, Key=prefix + key)["Body"].read()


def order_photos(order_id):
    from app.photos.models import Photo

    return db.session.execute(db.select(Photo).filter_by(work_order_id=order_id)).scalars().all()


def test_the_login_limit_counts_across_both_servers_behind_the_proxy(app, cluster):
    with app.app_context():
        factories.user("dispatcher", username="liuting")
        db.session.commit()
    answers = []
    for _ in range(4):
        client = Client("127.0.0.1", cluster.proxy.port)
        body = json.dumps({"username": "liuting", "password": "wrong"}).encode()
        status, _data = client.request("POST", "/api/v1/session", body, {"Content-Type": "application/json"})
        answers.append(status)
    assert answers == [401, 401, 401, 429]  # the proxy sent them to A, B, A, B
