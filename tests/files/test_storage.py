"""The two stores behave alike — a folder on the server and an S3-compatible object store (moto's server,
over HTTP): keys, bytes, streams, listings, downloads through the app, and keys that try to leave."""
import io

import pytest

from app.files.storage import LocalStorage, from_url, sha256_of
from tests.files.conftest import s3_config


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, app):
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    config = s3_config(request.getfixturevalue("s3_server"))
    return from_url(config["SHIFU_FILES_URL"], config)


def test_bytes_go_in_and_come_out_the_same(store):
    key = store.put(b"\xff\xd8photo", ".jpg")
    assert key.endswith(".jpg") and store.read(key) == b"\xff\xd8photo" and store.exists(key)
    store.write("slips/ab/one.pdf", b"%PDF-1")
    store.write("slips/ab/one.pdf", b"%PDF-2")  # replaced whole
    assert store.read("slips/ab/one.pdf") == b"%PDF-2"
    assert sorted(store.listing()) == sorted([key, "slips/ab/one.pdf"])
    store.delete(key)
    assert store.read(key) is None and not store.exists(key)


def test_an_upload_is_kept_as_it_streams_and_read_back_as_a_local_file(store):
    data = b"\xe6\x88\xb7\xe5\x8f\xb7," * 200_000  # 1.4 MB: more than one part of a streamed upload
    store.save_stream("imports/x", io.BytesIO(data))
    with store.local_copy("imports/x") as path:
        assert sha256_of(path.read_bytes()) == sha256_of(data)


def test_a_download_goes_through_the_app(store, app):
    key = store.put(b"jpeg-bytes" * 1000, ".jpg")
    with app.test_request_context():
        response = store.send(key, "image/jpeg")
        response.direct_passthrough = False
        assert response.mimetype == "image/jpeg" and response.get_data() == b"jpeg-bytes" * 1000


@pytest.mark.parametrize("key", ["../outside", "a/../../b", "/etc/passwd"])
def test_a_key_cannot_leave_the_store(store, key):
    with pytest.raises(ValueError):
        store.write(key, b"x")


def test_a_files_url_names_its_store(tmp_path):
    assert isinstance(from_url(f"file://{tmp_path}", {}), LocalStorage)
    with pytest.raises(ValueError, match="FILES_URL"):
        from_url("ftp://somewhere", {})
