"""售后服务 (001 四.14): a paid slip states what is guaranteed of what the company supplied, and for how long —
set per price item or, for items without their own, per category — above the customer's signature; the
terms are part of what is signed. And a phone that still signs the document of before (v1) is not lost."""
import json
from types import SimpleNamespace

import pytest

from app.errors import Conflict, ValidationFailed
from app.price_list import services as price_list
from app.price_list.models import PublishedVersionIsImmutable
from app.service_slips import content, services
from app.visits import services as visits
from tests import factories
from tests.paid_service.test_quotes import PIPE
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft
from tests.service_slips.conftest import choices, on_site_with_repair, signed_as_phone

VALVE_TERMS = dict(VALVE, after_sales="阀体质量问题免费更换", warranty_months=12)
CATEGORY_TERMS = {"material": ("管材质量问题免费返修", 6), "labour": ("同一部位同一故障免费返修", 3)}


@pytest.fixture
def terms(ctx):
    visits.ensure_default_photo_rules()
    admin = factories.user("admin")
    version = draft(admin, items=(VALVE_TERMS, PIPE, BASIC_FEE, LABOUR))
    price_list.set_category_terms(admin, version, CATEGORY_TERMS)
    price_list.publish(admin, version, price_list.local_today())
    order, tech = on_site_with_repair(factories.area(factories.branch(code="CD", name="城东分公司")))
    return SimpleNamespace(admin=admin, version=version, order=order, tech=tech)


def signed(terms, lines, collected):
    submission = signed_as_phone(terms.tech, terms.order, choices(terms.version, lines=lines, collected=collected))
    return json.loads(services.sign(terms.tech, terms.order, submission).content)


def test_a_paid_slip_signs_the_terms_of_each_item_or_else_of_its_category(terms):
    document = signed(terms, [("PJ-002", "1", "company"), ("CL-010", "2", "company")], 4500 + 2500)
    assert document["after_sales"] == [
        {"code": "PJ-002", "name": "铜球阀", "terms": "阀体质量问题免费更换", "months": 12},
        {"code": "CL-010", "name": "PPR 管", "terms": "管材质量问题免费返修", "months": 6},
    ]


def test_the_customers_own_material_carries_no_terms_but_the_labour_does(terms):
    document = signed(terms, [("PJ-002", "1", "customer")], 3000)
    assert document["after_sales"] == [{"code": "RG-001", "name": "基本人工费", "terms": "同一部位同一故障免费返修",
                                        "months": 3}]


def test_a_free_slip_has_no_terms(ctx):
    visits.ensure_default_photo_rules()
    area = factories.area(factories.branch(code="CD", name="城东分公司"))
    order, tech = on_site_with_repair(area, category="repair", fault_location="company", resolution="free")
    slip = services.sign(tech, order, signed_as_phone(tech, order, choices(method="none")))
    assert json.loads(slip.content)["after_sales"] == []


def test_a_published_versions_terms_never_change_and_a_copy_keeps_them(terms):
    with pytest.raises(Conflict):
        price_list.set_category_terms(terms.admin, terms.version, {"material": ("另行约定", 0)})
    terms.version.category_terms[0].after_sales = "另行约定"
    with pytest.raises(PublishedVersionIsImmutable):
        price_list.db.session.flush()
    price_list.db.session.rollback()


def test_a_new_draft_copies_the_category_terms(ctx):
    admin = factories.user("admin")
    first = draft(admin, items=(VALVE, BASIC_FEE))
    price_list.set_category_terms(admin, first, {"fitting": ("配件质量问题免费更换", 6)})
    copy = price_list.create_draft(admin, "下一季", based_on=first)
    assert [(t.category, t.after_sales, t.warranty_months) for t in copy.category_terms] == [
        ("fitting", "配件质量问题免费更换", 6)]


@pytest.mark.parametrize("wanted,field", [
    ({"fitting": ("", 6)}, "fitting"),
    ({"fitting": ("免费更换", 121)}, "fitting"),
    ({"radiator": ("免费更换", 6)}, "radiator"),
])
def test_category_terms_that_cannot_be_are_refused(ctx, wanted, field):
    admin = factories.user("admin")
    version = draft(admin)
    with pytest.raises(ValidationFailed) as refused:
        price_list.set_category_terms(admin, version, wanted)
    assert field in refused.value.fields and version.category_terms == []


def test_a_slip_signed_by_a_phone_of_before_v2_is_kept_as_it_was_signed(terms):
    """The app updates when the phone next loads it; a slip signed offline in between is not lost."""
    submission = choices(terms.version, lines=[("PJ-002", "1", "company")], collected=4500)
    old = content.build(terms.order, visits.latest_visit(terms.order),
                        services._signing(visits.latest_visit(terms.order), submission), version=1)
    assert "after_sales" not in old and old["v"] == 1
    slip = services.sign(terms.tech, terms.order, {**submission, "content": old, "content_sha256": content.digest(old)})
    assert json.loads(slip.content) == old


def test_a_document_of_neither_shape_is_refused_naming_what_differs(terms):
    submission = choices(terms.version, lines=[("PJ-002", "1", "company")], collected=4500)
    document = services.preview(terms.tech, terms.order, submission)
    document["after_sales"] = []
    with pytest.raises(Conflict) as refused:
        services.sign(terms.tech, terms.order, {**submission, "content": document,
                                                "content_sha256": content.digest(document)})
    assert refused.value.code == "slip_mismatch" and list(refused.value.fields) == ["after_sales"]
