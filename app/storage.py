"""Where files (photos, slip PDFs) live: a folder outside the web root today.

One small interface, so that moving to S3-compatible object storage is a configuration change.
"""
import secrets
from pathlib import Path

from flask import current_app


class LocalStorage:
    def __init__(self, root):
        self.root = Path(root)

    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes under a new random key, which is all that is returned."""
        key = f"{secrets.token_hex(2)}/{secrets.token_hex(16)}{suffix}"
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return key

    def write(self, key: str, data: bytes):
        """Store under a key the caller chose (e.g. from a content hash), replacing it atomically."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        partial.write_bytes(data)
        partial.replace(path)

    def read(self, key: str) -> bytes | None:
        path = self.path(key)
        return path.read_bytes() if path.exists() else None

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key outside the storage root")
        return path

    def delete(self, key: str):
        self.path(key).unlink(missing_ok=True)


def storage() -> LocalStorage:
    return LocalStorage(current_app.config["SHIFU_FILES_ROOT"])
