"""A real S3-protocol server for the suite: moto's server on 127.0.0.1, started once, with a bucket; and the
app pointed at it (FILES_URL) for a test."""
import uuid

import pytest

from tests.service_slips.conftest import shop  # noqa: F401 - a signed slip, for the tests here too

BUCKET = "shifu-test"


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def s3_config(endpoint, prefix=None):
    return {"SHIFU_FILES_URL": f"s3://{BUCKET}/{prefix or uuid.uuid4().hex}", "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1", "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"}


@pytest.fixture
def on_s3(app, s3_server, monkeypatch):
    """The app's files in a fresh prefix of the S3 bucket for this test."""
    for key, value in s3_config(s3_server).items():
        monkeypatch.setitem(app.config, key, value)
    return app.config["SHIFU_FILES_URL"]
