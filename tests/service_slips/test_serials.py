"""Slip serials: per branch per year, consecutive and unique even when many technicians sign at once."""
import threading
from datetime import datetime, timezone

from app.extensions import db
from app.service_slips.serials import next_serial
from tests import factories


def test_serials_count_per_branch_and_per_beijing_year(ctx):
    east, west = factories.branch(code="CD"), factories.branch(code="CX")
    new_years_eve = datetime(2026, 12, 31, 15, 30, tzinfo=timezone.utc)  # 23:30 in Beijing
    new_year = datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc)  # 00:30 on 1 January
    assert [next_serial(east, new_years_eve), next_serial(east, new_years_eve), next_serial(west, new_years_eve),
            next_serial(east, new_year)] == ["CD-2026-000001", "CD-2026-000002", "CX-2026-000001", "CD-2027-000001"]


def test_a_rolled_back_signing_gives_its_number_back(app):
    with app.app_context():
        branch = factories.branch(code="CD")
        db.session.commit()
        moment = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)
        assert next_serial(branch, moment) == "CD-2026-000001"
        db.session.rollback()
        assert next_serial(branch, moment) == "CD-2026-000001"
        db.session.commit()


def test_twenty_simultaneous_signings_get_twenty_consecutive_serials(app):
    with app.app_context():
        branch_id = factories.branch(code="CD").id
        db.session.commit()
    moment = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)
    serials, errors, start = [], [], threading.Barrier(20)

    def sign():
        from app.branches.models import Branch

        with app.app_context():
            branch = db.session.get(Branch, branch_id)
            db.session.commit()  # end the read; the signing transaction starts at the barrier
            start.wait()
            try:
                serials.append(next_serial(branch, moment))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                errors.append(error)

    threads = [threading.Thread(target=sign) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(serials) == [f"CD-2026-{n:06d}" for n in range(1, 21)]
