"""Paid service: prices only from the price list, own materials charged labour only, exact to the fen."""
import pytest

from app.errors import ValidationFailed
from app.paid_service import services
from app.paid_service.services import Wanted
from app.price_list import services as price_list
from tests import factories
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft

PIPE = {"code": "CL-010", "name": "PPR 管", "specification": "DN20", "unit": "米", "category": "material",
        "price_fen": 1250, "is_basic_labour_fee": False}


@pytest.fixture
def version(ctx):
    admin = factories.user("admin")
    version = draft(admin, items=(VALVE, PIPE, BASIC_FEE, LABOUR))
    price_list.publish(admin, version, price_list.local_today())
    return version


def item_id(version, code):
    return next(item.id for item in version.items if item.code == code)


def quote_of(version, order, wanted):
    """A quote kept as signing keeps it: priced by price_lines, stored by keep_quote."""
    return services.keep_quote(factories.user("dispatcher"), order, version, services.price_lines(version, wanted))


def test_a_quote_is_priced_from_the_price_list_and_totalled_in_fen(version):
    order = factories.work_order(category="paid_service")
    quote = quote_of(version, order, [
        Wanted(item_id(version, "PJ-002"), "2"), Wanted(item_id(version, "CL-010"), "1.5"),
        Wanted(item_id(version, "RG-002"), "1")])
    assert [(line.code, line.amount_fen) for line in quote.lines] == [
        ("PJ-002", 9000), ("CL-010", 1875), ("RG-002", 6000)]
    assert quote.total_fen == 16875


def test_own_materials_are_charged_labour_only(version):
    """The customer's own valve costs nothing; the basic labour fee is what they pay."""
    order = factories.work_order(category="paid_service")
    quote = quote_of(version, order, [
        Wanted(item_id(version, "PJ-002"), "1", supplied_by="customer")])
    assert [(line.code, line.supplied_by, line.amount_fen) for line in quote.lines] == [
        ("PJ-002", "customer", 0), ("RG-001", "company", 3000)]
    assert quote.lines[1].added_for_own_materials
    assert quote.total_fen == 3000


def test_the_basic_labour_fee_is_charged_once_however_many_own_materials(version):
    quote = quote_of(version, factories.work_order(), [
        Wanted(item_id(version, "PJ-002"), "2", supplied_by="customer"),
        Wanted(item_id(version, "CL-010"), "3", supplied_by="customer"),
        Wanted(item_id(version, "RG-001"), "1")])
    assert [line.code for line in quote.lines].count("RG-001") == 1
    assert quote.total_fen == 3000


def test_labour_cannot_be_declared_customer_supplied(version):
    lines = services.price_lines(version, [Wanted(item_id(version, "RG-002"), "1", supplied_by="customer")])
    assert [(line.code, line.amount_fen) for line in lines] == [("RG-002", 6000)]


def test_a_price_change_after_the_quote_does_not_change_it(version):
    admin = factories.user("admin")
    quote = quote_of(version, factories.work_order(), [Wanted(item_id(version, "PJ-002"), "1")])
    newer = price_list.create_draft(admin, "调价后", based_on=version)
    valve = next(item for item in newer.items if item.code == "PJ-002")
    price_list.save_item(admin, newer, {**VALVE, "price_fen": 5500}, item=valve)
    price_list.publish(admin, newer, price_list.local_today())
    assert price_list.version_in_force().id == newer.id  # a new quote would now cost ¥55.00
    assert quote.lines[0].unit_price_fen == 4500 and quote.total_fen == 4500
    assert quote.price_list_version_id == version.id


@pytest.mark.parametrize(("quantity", "ok"), [("1", True), ("0.25", True), ("0", False), ("-1", False),
                                              ("1.234", False), ("两个", False), ("99999", False)])
def test_quantities_are_positive_with_at_most_two_decimals(quantity, ok):
    if ok:
        assert services.quantity_centi(quantity) > 0
    else:
        with pytest.raises(ValueError):
            services.quantity_centi(quantity)


def test_rounding_is_half_up_to_the_fen():
    assert services.amount_fen(1250, 33) == 413  # 12.50 × 0.33 = 4.125 → 4.13
    assert services.amount_fen(1, 50) == 1


def test_an_item_not_in_the_version_is_refused_naming_the_line(version):
    with pytest.raises(ValidationFailed) as refused:
        services.price_lines(version, [Wanted(item_id(version, "PJ-002"), "1"), Wanted(999999, "1")])
    assert list(refused.value.fields) == ["lines.1"]


def test_only_a_published_price_list_can_price_a_quote(version):
    admin = factories.user("admin")
    unpublished = price_list.create_draft(admin, "草稿", based_on=version)
    with pytest.raises(ValidationFailed) as refused:
        services.price_lines(unpublished, [Wanted(unpublished.items[0].id, "1")])
    assert "price_list_version_id" in refused.value.fields
