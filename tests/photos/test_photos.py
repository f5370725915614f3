"""Photos: checked by content, re-encoded without EXIF or GPS, upright, small, stamped, served only to those allowed."""
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image, ImageStat

from app.commands.models import Command
from app.extensions import db
from app.files.storage import storage
from app.photos import images
from app.photos.models import Photo
from app.work_orders.models import WorkOrder
from tests import factories


def jpeg(width=4000, height=3000, orientation=None, gps=False):
    image = Image.effect_noise((width, height), 40).convert("RGB")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 7.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def phone(app, client, world):
    world.as_(client, "technician")
    for action in ("accept", "depart", "arrive"):
        client.post("/api/v1/commands", json={"client_uuid": str(uuid.uuid4()), "type": "transition",
                                              "work_order_id": world["order"], "payload": {"action": action}})
    return client


def upload(client, world, raw, client_uuid=None, kind="before", name="photo.jpg", device_time=None):
    device_time = device_time or datetime.now(timezone.utc)
    return client.post("/api/v1/photos", content_type="multipart/form-data", data={
        "client_uuid": client_uuid or str(uuid.uuid4()), "work_order_id": str(world["order"]), "step": "repair",
        "kind": kind, "device_time": device_time.isoformat(), "file": (io.BytesIO(raw), name)})


def stored(app, **filters):
    with app.app_context():
        photo = db.session.execute(db.select(Photo).filter_by(**filters)).scalar_one()
        return photo, storage().path(photo.storage_key).read_bytes(), storage().path(photo.thumbnail_key)


def test_a_phone_photo_is_kept_upright_small_and_without_exif(app, phone, world):
    key = str(uuid.uuid4())
    response = upload(phone, world, jpeg(orientation=6, gps=True), client_uuid=key)
    assert response.status_code == 200, response.get_json()
    photo, data, thumbnail = stored(app, client_uuid=key)
    kept = Image.open(io.BytesIO(data))
    assert kept.format == "JPEG" and kept.size == (1200, 1600)  # turned by the EXIF orientation, long side 1600
    assert (photo.width, photo.height) == (1200, 1600)
    assert not kept.getexif()  # neither orientation nor GPS survive
    assert max(Image.open(thumbnail).size) == 320


def test_the_photo_is_stamped_with_the_order_number_and_time(app, phone, world, monkeypatch):
    stamps = []
    real_stamp = images._stamp
    monkeypatch.setattr(images, "_stamp", lambda image, text: (stamps.append(text), real_stamp(image, text)))
    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        factories.age(order, 60)  # opened an hour ago, so a photo taken 20 minutes ago is plausible
        number = order.number
        db.session.commit()
    taken = datetime.now(timezone.utc) - timedelta(minutes=20)
    key = str(uuid.uuid4())
    upload(phone, world, jpeg(800, 600), client_uuid=key, device_time=taken)
    beijing = taken.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert stamps == [f"{number}  {beijing}"]  # the phone's time, shown in Beijing time
    _, data, _ = stored(app, client_uuid=key)
    kept = Image.open(io.BytesIO(data)).convert("L")
    band = kept.crop((0, kept.height - 6, 12, kept.height))  # under the text, left of its first letter
    assert ImageStat.Stat(band).mean[0] < 30  # the black stamp band is in the pixels; the noise averages 128


def test_a_replayed_upload_keeps_one_photo(app, phone, world):
    key = str(uuid.uuid4())
    raw = jpeg(800, 600)
    assert upload(phone, world, raw, client_uuid=key).status_code == 200
    again = upload(phone, world, raw, client_uuid=key)
    assert again.status_code == 200 and again.get_json()["replayed"] is True
    with app.app_context():
        assert db.session.query(Photo).count() == 1


def test_a_file_that_is_not_an_image_is_refused_by_content_whatever_its_name(app, phone, world):
    response = upload(phone, world, b"%PDF-1.7 not a photo at all", name="photo.jpg")
    assert response.status_code == 422 and "file" in response.get_json()["fields"]
    with app.app_context():
        assert db.session.query(Photo).count() == 0
        assert db.session.execute(db.select(Command.outcome).filter_by(type="photo")).scalar_one() == "refused"


def test_a_format_outside_jpeg_png_webp_is_refused(app, phone, world):
    out = io.BytesIO()
    Image.new("RGB", (64, 64)).save(out, "GIF")
    assert upload(phone, world, out.getvalue(), name="x.gif").status_code == 422


def test_too_many_pixels_is_refused_before_decoding(app, phone, world, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    out = io.BytesIO()
    Image.new("RGB", (200, 200)).save(out, "PNG")
    response = upload(phone, world, out.getvalue(), name="big.png")
    assert response.status_code == 422 and "像素" in response.get_json()["message"]


def test_a_request_over_the_size_cap_is_refused(app, phone, world):
    response = upload(phone, world, b"\xff" * (17 * 1024 * 1024))
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"


def test_photos_are_served_only_to_those_who_may_see_the_order(app, phone, world):
    key = str(uuid.uuid4())
    upload(phone, world, jpeg(800, 600), client_uuid=key)
    photo_id = stored(app, client_uuid=key)[0].id
    own = phone.get(f"/api/v1/photos/{photo_id}")
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert phone.get(f"/api/v1/photos/{photo_id}/thumbnail").status_code == 200
    world.as_(phone, "other_technician")
    assert phone.get(f"/api/v1/photos/{photo_id}").status_code == 404
    world.as_(phone, "dispatcher")
    assert phone.get(f"/api/v1/photos/{photo_id}").status_code == 200


def test_photos_are_stored_outside_the_web_root_under_random_names(app, phone, world):
    key = str(uuid.uuid4())
    upload(phone, world, jpeg(800, 600), client_uuid=key, name="张三家.jpg")
    photo = stored(app, client_uuid=key)[0]
    assert "张三" not in photo.storage_key and len(photo.storage_key) > 30
    assert phone.get(f"/static/{photo.storage_key}").status_code == 404


def test_the_desk_shows_the_visit_with_its_photos(app, phone, world):
    key = str(uuid.uuid4())
    phone.post("/api/v1/commands", json={"client_uuid": str(uuid.uuid4()), "type": "step",
                                         "work_order_id": world["order"],
                                         "payload": {"step": "knock", "outcome": "done"}})
    upload(phone, world, jpeg(800, 600), client_uuid=key)
    photo_id = stored(app, client_uuid=key)[0].id
    world.as_(phone, "dispatcher")
    page = phone.get(f"/work-orders/{world['order']}").get_data(as_text=True)
    assert "入户服务" in page and "一敲 敲门" in page and f"/api/v1/photos/{photo_id}/thumbnail" in page


def test_a_truncated_photo_is_refused_even_after_a_slip_was_printed(app, phone, world):
    import weasyprint
    from PIL import ImageFile

    from app.service_slips.pdf import render_slip
    from tests.service_slips.documents import sample_document

    with app.app_context():
        render_slip(sample_document())
    weasyprint.HTML(string="<p>任何库都可能再打开这个全局开关</p>").write_pdf()
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as a third-party import may leave it
    whole = jpeg(800, 600)
    response = upload(phone, world, whole[: len(whole) // 2])
    assert response.status_code == 422 and "file" in response.get_json()["fields"]
    with app.app_context():
        assert db.session.query(Photo).count() == 0
