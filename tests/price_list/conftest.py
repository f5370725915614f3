"""Price lists for tests, made through the services."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.price_list import services
from tests import factories

VALVE = {"code": "PJ-002", "name": "铜球阀", "specification": "DN20", "unit": "个", "category": "fitting",
         "price_fen": 4500, "is_basic_labour_fee": False}
BASIC_FEE = {"code": "RG-001", "name": "基本人工费", "specification": "每次上门", "unit": "次", "category": "labour",
             "price_fen": 3000, "is_basic_labour_fee": True}
LABOUR = {"code": "RG-002", "name": "维修人工费", "specification": "按小时计", "unit": "小时", "category": "labour",
          "price_fen": 6000, "is_basic_labour_fee": False}


def item(base=VALVE, **changes):
    return {**base, **changes}


def draft(actor, items=(VALVE, BASIC_FEE), name="2026–2027 供暖季价目表"):
    version = services.create_draft(actor, name)
    for data in items:
        services.save_item(actor, version, dict(data))
    return version


@pytest.fixture
def admin(ctx):
    return factories.user("admin")


@pytest.fixture
def publish_on(monkeypatch):
    """Publish a version as if it were `day` today, so that versions can start in the past."""

    def publish(actor, version, day):
        with monkeypatch.context() as patch:
            patch.setattr(services, "local_today", lambda: day)
            return services.publish(actor, version, day)

    return publish


@pytest.fixture
def yesterday():
    return services.local_today() - timedelta(days=1)


def committed(app, build):
    """Build inside a context, commit, and return the ids `build` returns."""
    with app.app_context():
        ids = build()
        db.session.commit()
    return ids
