"""The app with FILES_URL=s3://…, against a real S3-protocol server (moto's, over HTTP): a phone's photo and a
slip's PDF are kept in the bucket and served from it through the app's permission checks, a household file
is read from it by the import, and `flask files migrate` copies a server's folder there, checked by hash."""
import uuid
from io import BytesIO

from app.extensions import db
from app.files.storage import LocalStorage, from_url, sha256_of, storage
from app.imports import services as imports
from app.imports.models import CHECKED
from app.photos.models import Photo
from tests import factories
from tests.files.conftest import s3_config
from tests.imports.test_household_import import rows_text
from tests.photos.test_photos import jpeg, upload
from tests.service_slips.conftest import as_user


def test_a_photo_goes_to_the_bucket_and_comes_back_only_to_those_who_may_see_it(app, on_s3, client, world):
    world.as_(client, "technician")
    for action in ("accept", "depart", "arrive"):
        client.post("/api/v1/commands", json={"client_uuid": str(uuid.uuid4()), "type": "transition",
                                              "work_order_id": world["order"], "payload": {"action": action}})
    assert upload(client, world, jpeg(1600, 1200)).status_code == 200
    with app.app_context():
        photo = db.session.execute(db.select(Photo)).scalar_one()
        kept = storage().read(photo.storage_key)
        assert storage().describe() == on_s3 + "/" and sha256_of(kept) == photo.sha256
        assert not LocalStorage(app.config["SHIFU_FILES_ROOT"]).exists(photo.storage_key)
    answer = client.get(f"/api/v1/photos/{photo.id}")
    assert answer.status_code == 200 and answer.data == kept and answer.mimetype == "image/jpeg"
    world.as_(client, "other_technician")
    assert client.get(f"/api/v1/photos/{photo.id}").status_code == 404


def test_a_slips_pdf_is_rendered_once_into_the_bucket(app, on_s3, client, shop):
    desk = as_user(client, shop["back_office"])
    first = desk.get(f"/api/v1/slips/{shop['slip']}/pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    with app.app_context():
        kept = [key for key in storage().listing() if key.startswith("slips/")]
        assert len(kept) == 1 and storage().read(kept[0]) == first.data
    assert desk.get(f"/api/v1/slips/{shop['slip']}/pdf").data == first.data


def test_the_household_import_reads_its_file_from_the_bucket(app, on_s3):
    with app.app_context():
        factories.estate(factories.area(name="河东片区"), name="幸福里")
        admin = factories.user("admin")
        db.session.commit()
        found = imports.upload(admin, "导出.csv", BytesIO(rows_text("幸福里").encode("gbk")))
        imports.set_mapping(admin, found, found.mapping)
        db.session.commit()
        assert storage().exists(found.file_key)
        imports.check(found.id)
        found = imports.get(found.id)
        assert (found.status, found.rows, found.added) == (CHECKED, 5, 3)


def test_files_migrate_copies_the_folder_to_the_bucket_and_checks_every_file(app, s3_server, tmp_path):
    folder = LocalStorage(tmp_path / "files")
    keys = [folder.put(bytes([n]) * (1000 + n), ".jpg") for n in range(12)]
    folder.write("slips/ab/one.pdf", b"%PDF-1.7 slip")
    config = s3_config(s3_server)
    runner = app.test_cli_runner()
    env = {**app.config, "SHIFU_FILES_ROOT": str(tmp_path / "files"), **config}
    original = dict(app.config)
    app.config.update(env)
    try:
        result = runner.invoke(args=["files", "migrate"])
        assert result.exit_code == 0, result.output
        assert "复制并校验 13 个,已存在且一致 0 个" in result.output
        again = runner.invoke(args=["files", "migrate"])
        assert "复制并校验 0 个,已存在且一致 13 个" in again.output
    finally:
        app.config.clear()
        app.config.update(original)
    bucket = from_url(config["SHIFU_FILES_URL"], config)
    assert sorted(bucket.listing()) == sorted([*keys, "slips/ab/one.pdf"])
    assert all(bucket.read(key) == folder.read(key) for key in keys)
