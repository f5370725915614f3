"""Text the phone waits for is compressed by the app itself (no nginx in the embedded default), with
`Vary: Accept-Encoding`; desk pages holding a CSRF token are not (BREACH); a client that takes no
encoding gets the bytes as they are."""
import gzip
from pathlib import Path

import brotli
import pytest
from backports import zstd

from app.auth.models import User
from app.extensions import db
from tests.conftest import sign_in

STATIC = Path(__file__).resolve().parents[1] / "static"
CHROMIUM = "gzip, deflate, br, zstd"


def decoded(answer):
    encoding = answer.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(answer.data)
    if encoding == "br":
        return brotli.decompress(answer.data)
    if encoding == "zstd":
        return zstd.decompress(answer.data)
    assert encoding is None, encoding
    return answer.data


@pytest.mark.parametrize("accept, encoding", [("gzip", "gzip"), ("br;q=1.0, gzip;q=0.5", "br"),
                                              (CHROMIUM, "zstd")])
def test_a_module_is_sent_compressed_and_reads_back_byte_for_byte(client, accept, encoding):
    answer = client.get("/static/js/field/app.js", headers={"Accept-Encoding": accept})
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in answer.headers["Vary"]
    original = (STATIC / "js/field/app.js").read_bytes()
    assert decoded(answer) == original
    assert int(answer.headers["Content-Length"]) == len(answer.data) < len(original) / 2


def test_no_accept_encoding_gets_the_file_as_it_is(client):
    answer = client.get("/static/js/field/app.js")
    assert "Content-Encoding" not in answer.headers
    assert answer.data == (STATIC / "js/field/app.js").read_bytes()
    assert "Accept-Encoding" in answer.headers["Vary"]


def test_the_field_shell_and_its_worker_are_compressed(client):
    for path, inside in (("/field/", 'rel="modulepreload"'), ("/field/sw.js", "const SHELL")):
        answer = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert answer.headers["Content-Encoding"] == "gzip", path
        assert inside in decoded(answer).decode(), path


def test_a_compressed_file_still_answers_304_to_its_own_etag(client):
    first = client.get("/static/css/field.css", headers={"Accept-Encoding": "gzip"})
    again = client.get("/static/css/field.css", headers={"Accept-Encoding": "gzip",
                                                         "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # The encoding is part of the validator: a gzip ETag does not stand for the brotli bytes.
    other = client.get("/static/css/field.css", headers={"Accept-Encoding": "br",
                                                         "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "br"


def test_api_answers_are_compressed(client, world):
    with client.application.app_context():
        sign_in(client, db.session.get(User, world["dispatcher"]))
    answer = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert decoded(answer).startswith(b"{")


def test_desk_pages_with_a_csrf_token_are_not_compressed(client, world):
    with client.application.app_context():
        sign_in(client, db.session.get(User, world["dispatcher"]))
    for path in ("/login", "/dispatch/board", "/search?q=%E5%BC%A0"):
        answer = client.get(path, headers={"Accept-Encoding": CHROMIUM}, follow_redirects=True)
        assert answer.status_code == 200 and "Content-Encoding" not in answer.headers, path


def test_images_and_pdfs_are_not_compressed_again(client):
    answer = client.get("/static/img/field/icon-192.png", headers={"Accept-Encoding": CHROMIUM})
    assert answer.status_code == 200 and "Content-Encoding" not in answer.headers


def test_compression_can_be_turned_off_for_a_proxy_that_does_it(monkeypatch):
    from app import create_app

    monkeypatch.setenv("COMPRESS_RESPONSES", "0")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    answer = app.test_client().get("/static/js/field/app.js", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in answer.headers
