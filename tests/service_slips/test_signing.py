"""Signing a slip: what the customer saw is what is kept, to the fen, and it never changes afterwards."""
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from app.demo.signatures import drawn_signature
from app.errors import Conflict, InvalidTransition, ValidationFailed
from app.extensions import db
from app.localtime import now_utc
from app.price_list import services as price_list
from app.service_slips import content, services
from app.service_slips.models import Slip
from app.temperature.standard import DEFAULT
from tests.paid_service.test_quotes import PIPE
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE
from tests.service_slips.conftest import choices, on_site_with_repair, published, signed_as_phone

YEAR = now_utc().year


def sign(paid, **wanted):
    submission = signed_as_phone(paid.tech, paid.order, choices(paid.version, **wanted))
    return services.sign(paid.tech, paid.order, submission)


def test_the_signed_slip_keeps_the_document_the_customer_saw_and_its_hash(paid):
    slip = sign(paid, lines=[("PJ-002", "2", "company"), ("CL-010", "1.5", "company")], collected=10875)
    document = json.loads(slip.content)
    assert slip.serial == f"CD-{YEAR}-000001"
    assert slip.content_sha256 == content.digest(document)
    assert [(line["code"], line["amount_fen"]) for line in document["lines"]] == [("PJ-002", 9000), ("CL-010", 1875)]
    assert (document["total_fen"], document["total_in_capitals"]) == (10875, "壹佰零捌元柒角伍分")
    [reading] = document["readings"]
    assert (reading["room"], reading["tenths"], document["v"]) == ("bedroom", 185, 3)
    assert reading["minimum_tenths"] == DEFAULT.minimum_at(datetime.fromisoformat(reading["measured_at"]))
    assert document["damages"] == ["客户自行拆改暖气片导致接口渗水"]
    assert document["customer"]["name"] == "王秀兰" and document["branch"] == "城东分公司"
    assert document["clause"] == content.CLAUSE
    assert services.verify_integrity(slip)


def test_own_materials_are_charged_labour_only_on_the_slip(paid):
    slip = sign(paid, lines=[("PJ-002", "1", "customer")], method="cash", collected=3000)
    lines = json.loads(slip.content)["lines"]
    assert [(line["code"], line["supplied_by"], line["amount_fen"], line["added_for_own_materials"])
            for line in lines] == [("PJ-002", "customer", 0, False), ("RG-001", "company", 3000, True)]
    assert (slip.total_fen, json.loads(slip.content)["total_in_capitals"]) == (3000, "叁拾元整")


def test_a_price_change_after_the_quote_does_not_change_the_signed_slip(paid):
    """The phone quoted from the version it had; a new one in force by signing time changes nothing signed."""
    quoted_with = paid.version
    dearer = published(paid.admin, items=(dict(VALVE, price_fen=9900), PIPE, BASIC_FEE, LABOUR),
                      name="调价后价目表")
    assert price_list.version_in_force().id == dearer.id
    slip = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    assert slip.total_fen == 4500 and json.loads(slip.content)["price_list_version_id"] == quoted_with.id
    assert services.verify_integrity(slip)


def test_a_version_not_yet_in_force_on_the_signing_day_is_refused(paid):
    tomorrow = published(paid.admin, day=price_list.local_today() + timedelta(days=1), name="明日价目表")
    submission = choices(tomorrow, lines=[("PJ-002", "1", "company")], collected=4500)
    with pytest.raises(ValidationFailed) as refused:
        services.sign(paid.tech, paid.order, {**submission, "content_sha256": "0" * 64})
    assert "price_list_version_id" in refused.value.fields


def test_a_slip_that_differs_from_what_was_signed_is_refused_and_nothing_is_kept(paid):
    submission = signed_as_phone(paid.tech, paid.order, choices(paid.version, lines=[("PJ-002", "1", "company")],
                                                                collected=4500))
    altered = {**submission, "payment": {"method": "wechat", "collected_fen": 4000}}
    with pytest.raises(Conflict) as refused:
        services.sign(paid.tech, paid.order, altered)
    assert refused.value.code == "slip_mismatch" and list(refused.value.fields) == ["payment"]
    db.session.rollback()
    assert db.session.execute(db.select(Slip)).first() is None


def test_a_price_sent_by_the_phone_is_never_used(paid):
    """The phone's document says ¥1 for the valve; the server prices from the list and refuses the difference."""
    submission = signed_as_phone(paid.tech, paid.order, choices(paid.version, lines=[("PJ-002", "1", "company")],
                                                                collected=4500))
    cheap = json.loads(json.dumps(submission["content"]))
    cheap["lines"][0].update(unit_price_fen=100, amount_fen=100)
    cheap.update(total_fen=100, total_in_capitals="壹元整")
    with pytest.raises(Conflict) as refused:
        services.sign(paid.tech, paid.order, {**submission, "content": cheap, "content_sha256": content.digest(cheap)})
    assert set(refused.value.fields) == {"lines", "total_fen", "total_in_capitals"}


def test_a_signed_slip_cannot_be_changed(paid):
    slip = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    db.session.commit()
    for change in (lambda: setattr(slip, "total_fen", 1),
                   lambda: setattr(slip.signatures[0], "png", drawn_signature(9)),
                   lambda: setattr(slip.quote.lines[0], "amount_fen", 1)):
        change()
        with pytest.raises(Conflict) as refused:
            db.session.flush()
        assert refused.value.code == "slip_frozen"
        db.session.rollback()
    assert db.session.get(Slip, slip.id).total_fen == 4500


def test_a_change_made_behind_the_services_is_detected(paid):
    slip = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    db.session.commit()
    db.session.execute(text("UPDATE service_slips SET collected_fen = 0 WHERE id = :id"), {"id": slip.id})
    db.session.commit()
    assert not services.verify_integrity(db.session.get(Slip, slip.id))


def test_a_second_signing_is_refused_until_the_first_is_voided_and_then_replaced(paid):
    first = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    with pytest.raises(Conflict, match=first.serial):
        sign(paid, lines=[("PJ-002", "2", "company")], collected=9000)
    with pytest.raises(ValidationFailed):
        services.void(paid.admin, first, "  ")
    services.void(paid.admin, first, "数量录错,实际更换两个阀门")
    second = sign(paid, lines=[("PJ-002", "2", "company")], collected=9000, replaces=first.serial)
    assert (second.serial, second.replaces, first.replaced_by) == (f"CD-{YEAR}-000002", first, second)
    assert (first.status, first.void_reason) == ("voided", "数量录错,实际更换两个阀门")
    assert json.loads(second.content)["replaces"] == first.serial
    with pytest.raises(Conflict):
        services.void(paid.admin, first, "再次作废")


def test_a_reopened_orders_next_visit_signs_a_slip_of_its_own(paid):
    """The callback found it not solved: the technician goes back, and that visit's work is on its own slip."""
    from sqlalchemy import delete

    from app.callbacks import services as callbacks
    from app.dispatch.services import dispatch
    from app.visits import services as visits
    from app.visits.models import PhotoRule
    from tests import factories
    from tests.callbacks.conftest import finish_visit

    db.session.execute(delete(PhotoRule))
    first = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    finish_visit(paid.order, paid.tech, repair=False)
    visits.advance(paid.order, paid.tech, "complete")
    callbacks.answer(callbacks.pending_for(paid.order), factories.user("back_office"), False, "dissatisfied",
                     "新换的阀门接口滴水")
    dispatch(paid.order, factories.user("dispatcher"), paid.tech)
    factories.advance(paid.order, paid.tech, "accept", "depart", "arrive")
    assert services.current_slip(paid.order.id) == first  # until the new visit's first record
    visits.record_repair(paid.order, paid.tech, "customer", "paid", "阀门接口渗水", "重新缠生料带,试压无渗漏")
    assert services.current_slip(paid.order.id) is None

    second = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    assert (first.status, second.status, second.serial) == ("signed", "signed", f"CD-{YEAR}-000002")
    assert second.visit_id != first.visit_id and services.current_slip(paid.order.id) == second
    with pytest.raises(Conflict, match="本次入户已有服务单"):
        sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    finish_visit(paid.order, paid.tech, repair=False)
    visits.advance(paid.order, paid.tech, "complete")  # the second round's callback opens
    assert (callbacks.pending_for(paid.order).round, paid.order.status) == (2, "done")


def test_only_a_voided_slip_of_the_same_order_can_be_replaced(paid):
    first = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    services.void(paid.admin, first, "录错")
    with pytest.raises(ValidationFailed) as refused:
        sign(paid, lines=[("PJ-002", "1", "company")], collected=4500, replaces="CD-2020-000009")
    assert "replaces" in refused.value.fields


def test_a_company_side_repair_gives_a_free_slip(paid):
    order, tech = on_site_with_repair(paid.area, category="repair", fault_location="company", resolution="free")
    with pytest.raises(ValidationFailed, match="免费"):
        services.sign(tech, order, choices(paid.version, lines=[("PJ-002", "1", "company")], method="none"))
    slip = services.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
    document = json.loads(slip.content)
    assert (slip.charged, slip.total_fen, document["lines"], document["total_in_capitals"]) == (False, 0, [], "零元整")
    assert slip.quote is None and services.verify_integrity(slip)


@pytest.mark.parametrize(("method", "collected", "ok"), [
    ("cash", 4500, True), ("wechat", 2000, True), ("alipay", 0, False), ("cash", 4501, False),
    ("unpaid", 0, True), ("unpaid", 100, False), ("none", 0, False),
])
def test_payment_method_and_amount_collected(paid, method, collected, ok):
    submission = choices(paid.version, lines=[("PJ-002", "1", "company")], method=method, collected=collected)
    if ok:
        assert services.sign(paid.tech, paid.order, signed_as_phone(paid.tech, paid.order, submission)).collected_fen \
            == collected
    else:
        with pytest.raises(ValidationFailed) as refused:
            services.sign(paid.tech, paid.order, submission)
        assert "payment" in refused.value.fields


@pytest.mark.parametrize("customer", [b"", b"not a png", drawn_signature(3)[:200]])
def test_a_missing_or_broken_signature_is_refused(paid, customer):
    submission = choices(paid.version, lines=[("PJ-002", "1", "company")], collected=4500,
                         signatures={"customer": customer, "technician": drawn_signature(2)})
    with pytest.raises(ValidationFailed) as refused:
        services.sign(paid.tech, paid.order, submission)
    assert list(refused.value.fields) == ["signatures.customer"]


def test_a_blank_signature_is_refused(paid):
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGBA", (600, 200), (0, 0, 0, 0)).save(blank, format="PNG")
    submission = choices(paid.version, lines=[("PJ-002", "1", "company")], collected=4500,
                         signatures={"customer": drawn_signature(1), "technician": blank.getvalue()})
    with pytest.raises(ValidationFailed, match="签名"):
        services.sign(paid.tech, paid.order, submission)


def test_signing_needs_the_repair_record_first(paid):
    from app.work_orders.services import perform
    from tests import factories

    tech = factories.technician(paid.area)
    order = factories.work_order(category="paid_service", technician_=tech)
    for action in ("accept", "depart", "arrive"):
        perform(order, action, tech)
    with pytest.raises(InvalidTransition, match="维修情况"):
        services.sign(tech, order, choices(method="none"))


def test_another_technician_cannot_sign_the_order(paid):
    from app.errors import NotFound
    from tests import factories

    with pytest.raises(NotFound):
        services.sign(factories.technician(paid.area), paid.order, choices(method="none"))


def test_photos_are_listed_by_the_hash_of_what_the_phone_uploaded(paid):
    from app.photos.models import Photo
    from tests.visits.test_visit_rules import add_photo

    add_photo(paid.order, paid.tech, "repair", "before")
    db.session.execute(db.select(Photo)).scalar_one().upload_sha256 = "a" * 64  # "0" * 64 is the stored file's
    slip = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    assert json.loads(slip.content)["photos"] == [{"step": "repair", "kind": "before", "sha256": "a" * 64}]



def test_twenty_technicians_signing_at_the_same_moment_get_twenty_consecutive_serials(app):
    """Through the whole signing (rebuild, hash, quote, serial, slip), not just the counter."""
    import threading

    from app.auth.models import User
    from app.price_list.models import PriceListVersion
    from app.work_orders.models import WorkOrder
    from tests import factories

    with app.app_context():
        version = published(factories.user("admin"))
        area = factories.area(factories.branch(code="CD"))
        pairs = [(order.id, tech.id) for order, tech in (on_site_with_repair(area) for _ in range(20))]
        version_id = version.id
        db.session.commit()
    serials, errors, start = [], [], threading.Barrier(20)

    def technician_signs(order_id, tech_id):
        with app.app_context():
            order, tech = db.session.get(WorkOrder, order_id), db.session.get(User, tech_id)
            submission = signed_as_phone(tech, order, choices(db.session.get(PriceListVersion, version_id),
                                                              lines=[("PJ-002", "1", "customer")], collected=3000))
            db.session.commit()  # the phone's part is done; the signings arrive together
            start.wait()
            try:
                serials.append(services.sign(tech, order, submission).serial)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                errors.append(error)

    threads = [threading.Thread(target=technician_signs, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(serials) == [f"CD-{YEAR}-{n:06d}" for n in range(1, 21)]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Slip.id))).scalar() == 20


def test_nothing_can_be_added_to_a_signed_slip_either(paid):
    from app.service_slips.models import SlipSignature

    slip = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    db.session.commit()
    slip.signatures.append(SlipSignature(party="witness", png=b"x", sha256="0" * 64))
    with pytest.raises(Conflict, match="不能更改"):
        db.session.flush()
    db.session.rollback()


def test_the_database_holds_one_signed_slip_per_visit(paid):
    """Two tabs signing at once both pass the service's check on PostgreSQL; the index stops the second."""
    from sqlalchemy.exc import IntegrityError

    first = sign(paid, lines=[("PJ-002", "1", "company")], collected=4500)
    twin = Slip(**{column.key: getattr(first, column.key) for column in Slip.__table__.columns
                   if column.key not in ("id", "serial", "verify_token", "replaces_id")},
                serial="CD-2099-000001", verify_token="twin")
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
