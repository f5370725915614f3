"""Where files (photos, slip PDFs, uploaded spreadsheets) live: a folder on the server (the embedded default,
`FILES_ROOT`), or an S3-compatible object store shared by every app server (`FILES_URL=s3://bucket/prefix`,
with `S3_ENDPOINT_URL` for MinIO, Aliyun OSS, Tencent COS…). One small interface, the same for both.

Downloads go through the app (`send`): the permission check of the view that calls it runs on every
request, and the bytes are streamed from the store — no link that outlives the check, no bucket made
public. Photos (~200 KB) and slips (~200 KB) are small enough that the extra hop costs little
(BENCHMARKS.md).
"""
import hashlib
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, current_app, send_file

CHUNK = 1 << 16


def new_key(suffix):
    return f"{secrets.token_hex(2)}/{secrets.token_hex(16)}{suffix}"


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


class LocalStorage:
    def __init__(self, root):
        self.root = Path(root)

    def describe(self):
        return f"file://{self.root}"

    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes under a new random key, which is all that is returned."""
        key = new_key(suffix)
        self.write(key, data)
        return key

    def write(self, key: str, data: bytes):
        """Store under a key the caller chose (e.g. from a content hash), replacing it atomically."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        partial.write_bytes(data)
        partial.replace(path)

    def save_stream(self, key: str, stream):
        """Store what a stream holds (an upload), copied a megabyte at a time."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)

    def read(self, key: str) -> bytes | None:
        path = self.path(key)
        return path.read_bytes() if path.exists() else None

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    @contextmanager
    def local_copy(self, key: str):
        """A path on this server to read the file from (here: the file itself)."""
        yield self.path(key)

    def send(self, key: str, mimetype: str) -> Response:
        return send_file(self.path(key), mimetype=mimetype, max_age=0)

    def listing(self):
        """Every key stored, for copying and backing up (temporary partial files left out)."""
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                yield path.relative_to(self.root).as_posix()

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key outside the storage root")
        return path

    def delete(self, key: str):
        self.path(key).unlink(missing_ok=True)

    def ping(self):
        """:raise OSError: the folder cannot be written."""
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / f".ready-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()


class S3Storage:
    """A bucket (and a prefix in it) of any S3-compatible store, through boto3 with an endpoint URL."""

    def __init__(self, bucket, prefix="", endpoint_url=None, region=None, access_key=None, secret_key=None):
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region or "us-east-1", aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                          s3={"addressing_style": "path"}))

    def describe(self):
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, key):
        if ".." in key.split("/") or key.startswith("/"):
            raise ValueError("storage key outside the storage root")
        return self.prefix + key

    def put(self, data: bytes, suffix: str) -> str:
        key = new_key(suffix)
        self.write(key, data)
        return key

    def write(self, key: str, data: bytes):
        """One PUT: an object is replaced whole or not at all."""
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def save_stream(self, key: str, stream):
        self.client.upload_fileobj(stream, self.bucket, self._key(key))

    def read(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    @contextmanager
    def local_copy(self, key: str):
        """The object downloaded to a temporary file, removed afterwards (a spreadsheet to read row by row)."""
        with tempfile.NamedTemporaryFile(prefix="shifu-", suffix=Path(key).suffix) as copy:
            self.client.download_fileobj(self.bucket, self._key(key), copy)
            copy.flush()
            yield Path(copy.name)

    def send(self, key: str, mimetype: str) -> Response:
        """The object streamed through the app, after the view's own permission check."""
        answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        body = answer["Body"]
        response = Response(body.iter_chunks(CHUNK), mimetype=mimetype, direct_passthrough=True)
        response.content_length = answer["ContentLength"]
        response.call_on_close(body.close)
        return response

    def listing(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]

    def delete(self, key: str):
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def ping(self):
        """:raise botocore errors: the bucket cannot be reached."""
        self.client.head_bucket(Bucket=self.bucket)


def from_url(url, config):
    """The store a FILES_URL names: s3://bucket/prefix (with the S3_* settings), or file:///path."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        return S3Storage(parts.netloc, parts.path, endpoint_url=config.get("S3_ENDPOINT_URL"),
                         region=config.get("S3_REGION"), access_key=config.get("S3_ACCESS_KEY_ID"),
                         secret_key=config.get("S3_SECRET_ACCESS_KEY"))
    if parts.scheme in ("file", ""):
        return LocalStorage(parts.path or url)
    raise ValueError(f"FILES_URL must be s3://bucket/prefix or file:///path, not {url}")


def storage():
    """The app's store: FILES_URL when set, else the folder FILES_ROOT. Made once per app (a boto3 client is
    thread-safe and keeps its connections)."""
    config = current_app.config
    where = (config.get("SHIFU_FILES_URL") or "", config["SHIFU_FILES_ROOT"])
    made = current_app.extensions.setdefault("shifu_storage", {})
    if where not in made:
        made[where] = from_url(where[0], config) if where[0] else LocalStorage(where[1])
    return made[where]
