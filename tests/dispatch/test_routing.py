"""Routing (派单): the household's area gives the branch; the area's least-loaded technician is proposed."""
from app.dispatch import services as dispatch
from app.work_orders.services import cancel, perform
from tests import factories


def test_household_area_gives_the_branch(ctx):
    east = factories.branch(code="CD", name="城东分公司")
    area = factories.area(east, name="河东片区")
    order = factories.work_order(factories.household(factories.estate(area)))
    assert order.branch_id == east.id and order.area_id == area.id


def test_proposes_the_area_technician_with_the_lightest_open_load(ctx):
    area = factories.area()
    busy, free = factories.technician(area), factories.technician(area)
    home = factories.estate(area)
    factories.work_order(factories.household(home), technician_=busy)
    assert dispatch.propose(area) == free


def test_finished_and_cancelled_orders_are_not_load(ctx):
    area = factories.area()
    first, second = factories.technician(area, badge_number="T0001"), factories.technician(area, badge_number="T0002")
    dispatcher = factories.user("dispatcher")
    done = factories.work_order(factories.household(factories.estate(area)), technician_=first, actor=dispatcher)
    factories.advance(done, first, "accept", "depart", "arrive")
    perform(done, "complete", first)
    dropped = factories.work_order(factories.household(factories.estate(area)), technician_=first, actor=dispatcher)
    cancel(dropped, dispatcher, "客户自行修好")
    assert dispatch.open_loads([first.id, second.id]) == {first.id: 0, second.id: 0}
    assert dispatch.propose(area) == first  # tie broken by badge number


def test_technicians_of_the_area_come_before_the_rest_of_the_branch(ctx):
    area = factories.area()
    neighbour_area = factories.area(area.branch)
    own = factories.technician(area)
    neighbour = factories.technician(neighbour_area)
    for _ in range(3):
        factories.work_order(factories.household(factories.estate(area)), technician_=own)
    ranked = dispatch.candidates(area)
    assert [c["technician"] for c in ranked] == [own, neighbour]
    assert ranked[0]["in_area"] and ranked[0]["open_load"] == 3


def test_an_area_without_technicians_falls_back_to_the_branch(ctx):
    area = factories.area()
    other = factories.technician(factories.area(area.branch))
    assert dispatch.propose(area) == other


def test_inactive_technicians_and_other_branches_are_not_proposed(ctx):
    area = factories.area()
    factories.technician(area, active=False)
    factories.technician(factories.area())  # another branch
    assert dispatch.propose(area) is None
