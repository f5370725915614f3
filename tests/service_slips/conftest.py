"""A paid-service visit ready for the customer's signature, and submissions signed as a phone signs them."""
import base64
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.auth.models import User
from app.demo.signatures import drawn_signature
from app.extensions import db
from app.localtime import now_utc
from app.price_list import services as price_list
from app.service_slips import content, services
from app.visits import services as visits
from tests import factories
from tests.conftest import sign_in
from tests.paid_service.test_quotes import PIPE
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft


def published(admin, items=(VALVE, PIPE, BASIC_FEE, LABOUR), day=None, name="2026–2027 供暖季价目表"):
    version = draft(admin, items=items, name=name)
    price_list.publish(admin, version, day or price_list.local_today())
    return version


def on_site_with_repair(area, category="paid_service", fault_location="customer", resolution="paid", tech=None):
    tech = tech or factories.technician(area)
    order = factories.work_order(factories.household(factories.estate(area), name="王秀兰", phone="13800000001"),
                                 category=category, technician_=tech, description="想更换暖气阀门,原来的阀门锈死")
    factories.advance(order, tech, "accept", "depart", "arrive")
    visits.record_repair(order, tech, fault_location, resolution, "阀门锈死无法关闭", "更换阀门,试压无渗漏")
    return order, tech


@pytest.fixture
def paid(ctx):
    visits.ensure_default_photo_rules()
    admin = factories.user("admin")
    version = published(admin)
    area = factories.area(factories.branch(code="CD", name="城东分公司"))
    order, tech = on_site_with_repair(area)
    visits.add_reading(order, tech, "bedroom", 18.5)
    visits.record_damage(order, tech, "客户自行拆改暖气片导致接口渗水")
    return SimpleNamespace(order=order, tech=tech, version=version, area=area, admin=admin)


def item_id(version, code):
    return next(item.id for item in version.items if item.code == code)


def choices(version=None, lines=(), method="wechat", collected=None, satisfaction="satisfied", comment="师傅很专业",
            signed_at=None, replaces=None, signatures=None):
    """What the phone sends, before its hash: `lines` as (code, quantity, supplied_by)."""
    return {
        "price_list_version_id": version.id if version else None,
        "lines": [{"price_item_id": item_id(version, code), "quantity": quantity, "supplied_by": supplied_by}
                  for code, quantity, supplied_by in lines],
        "payment": {"method": method, "collected_fen": collected or 0},
        "feedback": {"satisfaction": satisfaction, "comment": comment},
        "signed_at": (signed_at or now_utc() - timedelta(minutes=1)).replace(microsecond=0),
        "replaces": replaces,
        "signatures": signatures or {"customer": drawn_signature(1), "technician": drawn_signature(2)},
        "content": None,
        "content_sha256": "0" * 64,
    }


def signed_as_phone(actor, order, submission):
    """The submission with the document and hash a phone would have computed from what it showed."""
    document = services.preview(actor, order, submission)
    return {**submission, "content": document, "content_sha256": content.digest(document)}


def as_json(submission):
    """The same submission as the phone puts it in a `sign_slip` command."""
    return {**submission, "signed_at": content.utc_text(submission["signed_at"]),
            "signatures": {party: base64.b64encode(png).decode() for party, png in submission["signatures"].items()}}


@pytest.fixture
def shop(app):
    """Committed: a paid visit waiting for its signature, and another order already signed."""
    with app.app_context():
        admin = factories.user("admin")
        version = published(admin)
        area = factories.area(factories.branch(code="CD", name="城东分公司"))
        order, tech = on_site_with_repair(area)
        signed_order, signed_tech = on_site_with_repair(area)
        slip = services.sign(signed_tech, signed_order, signed_as_phone(
            signed_tech, signed_order, choices(version, lines=[("PJ-002", "1", "customer")], collected=3000)))
        ids = {"order": order.id, "tech": tech.id, "version": version.id, "slip": slip.id, "token": slip.verify_token,
               "signed_tech": signed_tech.id, "other_tech": factories.technician(area).id,
               "dispatcher": factories.user("dispatcher").id, "back_office": factories.user("back_office").id,
               "admin": admin.id}
        db.session.commit()
    return ids


def as_user(client, user_id):
    with client.application.app_context():
        sign_in(client, db.session.get(User, user_id))
    return client
