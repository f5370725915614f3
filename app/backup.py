"""Backing up a company and restoring it (docs/backup.md): `flask backup create DIR` writes every table as JSON
lines and every stored file, with a manifest of row counts and each file's SHA-256; `flask backup restore
DIR` loads them into an empty database (migrated to the same revision) and an empty store, and checks the
counts and hashes before it commits. The same on SQLite and PostgreSQL, and from one to the other.

For a large PostgreSQL, `pg_dump -Fc` plus a bucket sync (`mc mirror`) is quicker; this is the one that
is tested end to end, and the one that moves a company between databases.
"""
import base64
import json
from datetime import date, datetime
from pathlib import Path

import click
from sqlalchemy import LargeBinary, insert, select, text
from sqlalchemy.types import Date, DateTime

from app.extensions import db
from app.files.storage import LocalStorage, sha256_of, storage

FORMAT = 1
CHUNK = 2000
SKIPPED = ("alembic_version",)
COMPANY = ("users", "branches", "households", "work_orders")  # any row here: not an empty database


def _encode(value):
    if isinstance(value, bytes | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(column):
    kind = column.type
    if isinstance(kind, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v["b64"])
    if isinstance(kind, DateTime) or type(kind).__name__ == "UTCDateTime":
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def _tables():
    return [table for table in db.metadata.sorted_tables if table.name not in SKIPPED]


def _revision():
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def create(out, echo=lambda _line: None):
    """Write the backup into the folder `out` (made if missing). Returns the manifest."""
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "revision": _revision(), "tables": {}, "files": {}}
    for table in _tables():
        order = list(table.primary_key.columns) or list(table.columns)
        count = 0
        with open(out / "tables" / f"{table.name}.jsonl", "w", encoding="utf-8") as lines:
            for row in db.session.execute(select(table).order_by(*order)).yield_per(CHUNK):
                lines.write(json.dumps({key: _encode(value) for key, value in row._mapping.items()},
                                       ensure_ascii=False) + "\n")
                count += 1
        manifest["tables"][table.name] = count
    files, kept = storage(), LocalStorage(out / "files")
    for key in files.listing():
        data = files.read(key)
        kept.write(key, data)
        manifest["files"][key] = sha256_of(data)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    echo(f"备份完成:{sum(manifest['tables'].values())} 行,{len(manifest['files'])} 个文件 → {out}")
    return manifest


def restore(source, echo=lambda _line: None):
    """Load a backup into this (empty, migrated) database and (empty) store, then check it; one transaction.

    :raise click.ClickException: not empty, another revision, or a count or hash that does not match."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise click.ClickException("不认识的备份格式。")
    if manifest["revision"] != _revision():
        raise click.ClickException(f"备份的数据库版本是 {manifest['revision']},本库是 {_revision()}:"
                                   "请先 flask db upgrade 到同一版本。")
    tables = _tables()
    if any(db.session.execute(select(table).limit(1)).first() for table in tables if table.name in COMPANY):
        raise click.ClickException("目标数据库不是空的,未恢复。")
    for table in reversed(tables):  # what the migrations seeded (default clocks, photo rules…) gives way
        db.session.execute(table.delete())
    for table in tables:
        _load(table, source / "tables" / f"{table.name}.jsonl")
    _reset_sequences(tables)
    _check_counts(tables, manifest)
    files, kept = storage(), LocalStorage(source / "files")
    for key, digest in manifest["files"].items():
        data = kept.read(key)
        if data is None or sha256_of(data) != digest:
            raise click.ClickException(f"备份中的文件 {key} 缺失或已损坏,未恢复。")
        files.write(key, data)
        if sha256_of(files.read(key)) != digest:
            raise click.ClickException(f"文件 {key} 写入存储后校验不一致,未恢复。")
    db.session.commit()
    echo(f"恢复完成:{sum(manifest['tables'].values())} 行,{len(manifest['files'])} 个文件,行数与哈希均已核对。")
    return manifest


def _load(table, path):
    if not path.exists():
        return
    decoders = {column.name: _decoder(column) for column in table.columns}
    batch = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            batch.append({key: decoders[key](value) for key, value in row.items() if key in decoders})
            if len(batch) == CHUNK:
                db.session.execute(insert(table), batch)
                batch = []
    if batch:
        db.session.execute(insert(table), batch)


def _reset_sequences(tables):
    """PostgreSQL: each serial id continues after the restored rows (SQLite takes the next id by itself)."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        id_column = table.columns.get("id")
        if id_column is not None and id_column.autoincrement is not False and len(table.primary_key.columns) == 1:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def _check_counts(tables, manifest):
    for table in tables:
        found = db.session.execute(select(db.func.count()).select_from(table)).scalar_one()
        if found != manifest["tables"].get(table.name, 0):
            raise click.ClickException(f"{table.name}:恢复 {found} 行,备份中 {manifest['tables'].get(table.name)} 行。")


def register(app):
    @app.cli.group("backup")
    def backup():
        """Back up the company (database and files) into a folder, or restore one."""

    @backup.command("create")
    @click.argument("out", type=click.Path(file_okay=False))
    def create_command(out):
        """Every table and every stored file into OUT, with a manifest of counts and hashes."""
        create(out, click.echo)

    @backup.command("restore")
    @click.argument("source", type=click.Path(exists=True, file_okay=False))
    def restore_command(source):
        """Load SOURCE into this empty database (after flask db upgrade) and empty store, checked."""
        restore(source, click.echo)
