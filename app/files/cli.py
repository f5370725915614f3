"""`flask files …`: copying a store to another (a server's folder to object storage) and checking it."""
import click
from flask import current_app

from app.files.storage import LocalStorage, from_url, sha256_of, storage


def copy_all(source, target, echo=lambda _line: None):
    """Every key of `source` into `target`, each read back and compared by SHA-256; keys already there with
    the same bytes are left alone, so a copy cut short is run again. Returns (copied, already there).

    :raise click.ClickException: a key whose copy does not match."""
    copied = same = 0
    for key in source.listing():
        data = source.read(key)
        wanted = sha256_of(data)
        present = target.read(key)
        if present is not None and sha256_of(present) == wanted:
            same += 1
            continue
        target.write(key, data)
        back = target.read(key)
        if back is None or sha256_of(back) != wanted:
            raise click.ClickException(f"{key}: the copy does not match (SHA-256), stopped.")
        copied += 1
        if copied % 500 == 0:
            echo(f"已复制 {copied} 个文件…")
    return copied, same


def register(app):
    @app.cli.group("files")
    def files():
        """Where photos, slip PDFs and uploads are kept (FILES_ROOT or FILES_URL)."""

    @files.command("migrate")
    @click.option("--from", "source_url", help="The store to copy from (default: the folder FILES_ROOT).")
    @click.option("--to", "target_url", help="The store to copy to (default: FILES_URL, e.g. s3://bucket/prefix).")
    def migrate(source_url, target_url):
        """Copy every file to the other store and verify each by hash (safe to run again)."""
        config = current_app.config
        source = from_url(source_url, config) if source_url else LocalStorage(config["SHIFU_FILES_ROOT"])
        target = from_url(target_url, config) if target_url else storage()
        if source.describe() == target.describe():
            raise click.ClickException("源和目标是同一个存储:请设置 FILES_URL 或用 --to 指定目标。")
        copied, same = copy_all(source, target, click.echo)
        click.echo(f"{source.describe()} → {target.describe()}:复制并校验 {copied} 个,已存在且一致 {same} 个。")
