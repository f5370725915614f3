"""The app pointed at the suite's S3 server (tests/conftest.py: moto's, on 127.0.0.1) for a test: FILES_URL
with a prefix of its own in the bucket."""
import uuid

import pytest

from tests.conftest import BUCKET
from tests.service_slips.conftest import shop  # noqa: F401 - a signed slip, for the tests here too


def s3_config(endpoint, prefix=None):
    return {"SHIFU_FILES_URL": f"s3://{BUCKET}/{prefix or uuid.uuid4().hex}", "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1", "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"}


@pytest.fixture
def on_s3(app, s3_server, monkeypatch):
    """The app's files in a fresh prefix of the S3 bucket for this test."""
    for key, value in s3_config(s3_server).items():
        monkeypatch.setitem(app.config, key, value)
    return app.config["SHIFU_FILES_URL"]
