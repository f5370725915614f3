"""Backup and restore, tested as it would be used: the demo company (signed slips, photos, stock) backed up,
restored into an empty database and an empty store, and there every slip's hash verifies, every photo
opens, and every table has the same number of rows."""
import io

import pytest
from PIL import Image
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.backup import create
from app.demo.loader import load_demo
from app.extensions import db
from app.files.storage import storage
from app.photos.models import Photo
from tests import factories


def empty_database(app, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return f"sqlite:///{tmp_path}/restored.sqlite"
    target = f"{url.database}_restore"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {target}"))
        connection.execute(text(f"CREATE DATABASE {target}"))
    return url.set(database=target).render_as_string(hide_password=False)


@pytest.fixture
def restored_app(app, tmp_path):
    other = create_app({"TESTING": True, "SECRET_KEY": "restore",
                        "SQLALCHEMY_DATABASE_URI": empty_database(app, tmp_path),
                        "SHIFU_FILES_ROOT": str(tmp_path / "restored-files")})
    with other.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield other
    with other.app_context():
        db.engine.dispose()


def counts():
    return {table.name: db.session.execute(select(db.func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables}


def test_a_backed_up_company_restores_whole_and_verifies(app, restored_app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SHIFU_FILES_ROOT", str(tmp_path / "files"))  # only this company's files
    with app.app_context():
        load_demo(lambda _line: None)
        before = counts()
        manifest = create(tmp_path / "backup")
    assert before["service_slips"] > 0 and before["photos"] > 0 and before["stock_movements"] > 0
    assert len(manifest["files"]) == 2 * before["photos"]

    runner = restored_app.test_cli_runner()
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    with restored_app.app_context():
        assert counts() == before
        verified = runner.invoke(args=["slips", "verify"])
        assert verified.exit_code == 0 and "全部服务单与签名时一致" in verified.output
        for photo in db.session.execute(select(Photo)).scalars():
            Image.open(io.BytesIO(storage().read(photo.storage_key))).verify()
            Image.open(io.BytesIO(storage().read(photo.thumbnail_key))).verify()
        factories.household(factories.estate(factories.area()))  # new rows take ids after the restored ones
        db.session.commit()
        again = runner.invoke(args=["backup", "restore", str(tmp_path / "backup")])
        assert again.exit_code != 0 and "不是空的" in again.output
