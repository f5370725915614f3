"""Fixtures of the field app's browser tests: a phone that fails on console errors, a technician with a job."""
import pytest

from app.clocks.services import ensure_default_policies
from app.extensions import db
from app.temperature import standard
from app.visits.services import ensure_default_photo_rules
from tests import factories
from tests.field.phone import camera_jpeg


@pytest.fixture
def phone(page):
    """The page, failing the test on any console error or uncaught exception (CSP violations included)."""
    problems = []

    def on_console(message):
        if message.type == "error":
            problems.append(f"{message.text} @ {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    yield page
    assert problems == [], f"console errors: {problems}"


def all_day_standard(actor):
    """18 °C all day: what a test expects of a reading does not depend on the hour it runs at."""
    standard.set_standard(actor, 0, 24 * 60, 180, 160)


@pytest.fixture
def job(app):
    """王建国 (T9001) with one repair order, dispatched; another technician and a dispatcher beside him."""
    with app.app_context():
        ensure_default_policies()
        ensure_default_photo_rules()
        area = factories.area()
        tech = factories.technician(area, username="T9001", name="王建国")
        other = factories.technician(area, username="T9002", name="赵志刚")
        dispatcher = factories.user("dispatcher")
        all_day_standard(dispatcher)
        home = factories.household(factories.estate(area, name="幸福里"), name="李秀英", phone="13812345678",
                                   building="3", unit="2", room="501")
        order = factories.work_order(home, category="repair", actor=dispatcher, technician_=tech,
                                     description="暖气不热,卧室只有 16 度")
        db.session.commit()
        return {"order": order.id, "technician": tech.id, "other": other.id, "dispatcher": dispatcher.id,
                "number": order.number}


@pytest.fixture(scope="session")
def photo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("camera") / "IMG_20261125_143005.jpg"
    path.write_bytes(camera_jpeg())
    return path
