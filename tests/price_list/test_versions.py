"""Versions: the one in force on a day, drafts that become immutable when published, one basic labour fee."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.price_list import services
from app.price_list.models import PriceItem, PublishedVersionIsImmutable
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft, item


def test_yesterdays_quote_keeps_yesterdays_version_when_a_new_one_starts_today(admin, publish_on, yesterday):
    old = publish_on(admin, draft(admin, name="旧价目表"), yesterday)
    new = services.publish(admin, draft(admin, [item(price_fen=5000), BASIC_FEE], name="新价目表"),
                           services.local_today())
    assert services.version_in_force(yesterday) == old
    assert services.version_in_force() == new
    assert services.version_in_force(services.local_today()) == new
    assert [i.price_fen for i in old.items if i.code == "PJ-002"] == [4500]


def test_a_version_published_for_a_later_day_waits_for_it(admin):
    today = services.local_today()
    current = services.publish(admin, draft(admin), today)
    later = services.publish(admin, draft(admin, name="下季"), today + timedelta(days=30))
    assert services.version_in_force() == current
    assert services.version_in_force(today + timedelta(days=29)) == current
    assert services.version_in_force(today + timedelta(days=30)) == later
    assert services.state_of(later, current) == "future"


def test_nothing_is_in_force_before_the_first_version(admin):
    services.publish(admin, draft(admin), services.local_today())
    assert services.version_in_force(services.local_today() - timedelta(days=1)) is None


def test_of_two_versions_for_the_same_day_the_one_published_last_is_in_force(admin):
    today = services.local_today()
    first = services.publish(admin, draft(admin, name="有误"), today)
    second = services.publish(admin, draft(admin, name="更正"), today)
    assert services.version_in_force() == second
    assert services.state_of(first, second) == "superseded"


def test_drafts_are_never_in_force(admin):
    draft(admin)
    assert services.version_in_force() is None


def test_a_published_version_cannot_be_edited(admin):
    version = services.publish(admin, draft(admin), services.local_today())
    valve = next(i for i in version.items if i.code == "PJ-002")
    for change in (lambda: services.save_item(admin, version, item(price_fen=1)),
                   lambda: services.save_item(admin, version, item(price_fen=1), valve),
                   lambda: services.delete_item(admin, version, valve),
                   lambda: services.delete_draft(admin, version),
                   lambda: services.publish(admin, version, services.local_today())):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.status == 409 and refused.value.code == "price_list_published"


def test_the_database_layer_refuses_edits_that_skip_the_services(admin):
    version = services.publish(admin, draft(admin), services.local_today())
    db.session.commit()
    version.items[0].price_fen = 1
    with pytest.raises(PublishedVersionIsImmutable):
        db.session.flush()
    db.session.rollback()
    version.items.append(PriceItem(**item(code="NEW")))
    with pytest.raises(PublishedVersionIsImmutable):
        db.session.flush()
    db.session.rollback()
    version.name = "改个名字"
    with pytest.raises(PublishedVersionIsImmutable):
        db.session.flush()
    db.session.rollback()
    db.session.delete(version)
    with pytest.raises(PublishedVersionIsImmutable):
        db.session.flush()


def test_a_copy_is_a_draft_with_the_same_items_that_changes_alone(admin):
    original = services.publish(admin, draft(admin, [VALVE, BASIC_FEE, LABOUR]), services.local_today())
    copy = services.create_draft(admin, "调价稿", based_on=original)
    assert copy.is_draft and copy.based_on == original
    fields = lambda v: sorted((i.code, i.name, i.price_fen, i.is_basic_labour_fee) for i in v.items)  # noqa: E731
    assert fields(copy) == fields(original)
    valve = next(i for i in copy.items if i.code == "PJ-002")
    services.save_item(admin, copy, item(price_fen=4800), valve)
    assert [i.price_fen for i in original.items if i.code == "PJ-002"] == [4500]


def test_publishing_needs_exactly_one_basic_labour_fee(admin):
    version = draft(admin, [VALVE])
    with pytest.raises(ValidationFailed) as refused:
        services.publish(admin, version, services.local_today())
    assert "is_basic_labour_fee" in refused.value.fields
    assert version.is_draft


def test_marking_a_second_basic_labour_fee_moves_the_mark(admin):
    version = draft(admin, [VALVE, BASIC_FEE])
    services.save_item(admin, version, item(LABOUR, is_basic_labour_fee=True))
    assert [i.code for i in version.items if i.is_basic_labour_fee] == ["RG-002"]


def test_the_database_allows_one_basic_labour_fee_per_version(admin):
    version = draft(admin, [BASIC_FEE])
    db.session.add(PriceItem(version=version, **item(LABOUR, is_basic_labour_fee=True)))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_basic_labour_fee_is_labour(admin):
    with pytest.raises(ValidationFailed) as refused:
        draft(admin, [item(is_basic_labour_fee=True)])
    assert refused.value.fields == {"is_basic_labour_fee": ["基本人工费须属于“人工”类"]}


@pytest.mark.parametrize("when", [-1, -30])
def test_a_version_cannot_start_in_the_past(admin, when):
    with pytest.raises(ValidationFailed) as refused:
        services.publish(admin, draft(admin), services.local_today() + timedelta(days=when))
    assert "effective_from" in refused.value.fields


def test_an_empty_draft_cannot_be_published(admin):
    with pytest.raises(ValidationFailed) as refused:
        services.publish(admin, draft(admin, []), services.local_today())
    assert set(refused.value.fields) == {"items", "is_basic_labour_fee"}


def test_codes_are_unique_within_a_version_only(admin):
    version = draft(admin, [VALVE])
    with pytest.raises(ValidationFailed) as refused:
        services.save_item(admin, version, item(name="另一个阀门"))
    assert refused.value.fields == {"code": ["编码 PJ-002 已被“铜球阀”使用"]}
    draft(admin, [VALVE], name="另一版")  # the same code in another version is fine


def test_a_price_has_a_ceiling(admin):
    with pytest.raises(ValidationFailed) as refused:
        draft(admin, [item(price_fen=services.MAX_PRICE_FEN + 1)])
    assert "price" in refused.value.fields


def test_publishing_is_audited_with_its_date(admin):
    version = services.publish(admin, draft(admin), services.local_today())
    event = db.session.execute(db.select(AuditEvent).filter_by(entity="price_list_version", action="publish")
                               ).scalar_one()
    assert event.entity_id == version.id and event.actor_id == admin.id
    assert event.data == {"effective_from": services.local_today().isoformat(), "items": 2}


def test_two_versions_cannot_share_a_name(admin):
    draft(admin, [])
    with pytest.raises(ValidationFailed) as refused:
        draft(admin, [])
    assert refused.value.fields == {"name": ["名称已被使用"]}


def test_a_draft_can_be_deleted_with_its_items(admin):
    version = draft(admin)
    services.delete_draft(admin, version)
    assert db.session.execute(db.select(PriceItem)).scalars().all() == []
