"""热用户档案: the list, each household's file (一户一档) with what happened there, and its record corrected
with history — the dispatcher the contact details during a call, the admin the rest."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.households.models import Household
from app.visits import services as visits
from app.work_orders.models import WorkOrder
from tests import factories


def test_the_list_finds_a_household_by_number_phone_or_address(app, client, world):
    page = world.as_(client, "back_office").get("/households?q=0101020301").get_data(as_text=True)
    assert f'href="/households/{world["household"]}"' in page and "共 1 户" in page
    page = world.as_(client, "back_office").get("/households?q=没有这个地址").get_data(as_text=True)
    assert "没有找到" in page


def test_the_file_shows_every_order_and_how_often_it_called_this_week(app, client, world):
    page = world.as_(client, "dispatcher").get(f"/households/{world['household']}").get_data(as_text=True)
    with app.app_context():
        numbers = [o.number for o in db.session.execute(db.select(WorkOrder)).scalars()]
    assert all(number in page for number in numbers)
    assert "此户近 7 天已来电 2 次" in page


def test_the_file_lists_the_advice_given_on_the_customers_side(app, client, world):
    with app.app_context():
        order = db.session.get(WorkOrder, world["order"])
        factories.advance(order, order.technician, "accept", "depart", "arrive")
        visits.record_repair(order, order.technician, "customer", "advice", "户内阀门关闭不严",
                             "指导客户关闭阀门后更换垫片")
        db.session.commit()
    page = world.as_(client, "back_office").get(f"/households/{world['household']}").get_data(as_text=True)
    advice = page.split('id="advice-title"')[1].split("</section>")[0]
    assert "户内阀门关闭不严 → 指导客户关闭阀门后更换垫片" in advice


def test_an_old_call_does_not_count_as_this_weeks(app, client, world):
    with app.app_context():
        order = db.session.get(WorkOrder, world["other_order"])
        order.created_at = order.created_at - timedelta(days=8)
        db.session.commit()
    answer = world.as_(client, "dispatcher").get(f"/api/v1/households/{world['household']}").get_json()
    assert answer["calls_this_week"] == 1 and len(answer["recent_orders"]) == 2


def test_a_dispatcher_corrects_the_phone_during_a_call_and_the_change_is_kept(app, client, world):
    answer = world.as_(client, "dispatcher").post(f"/households/{world['household']}/contact",
                                                  data={"name": "王秀兰", "phone": "13900000000"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Household, world["household"]).phone == "13900000000"
    page = client.get(f"/households/{world['household']}").get_data(as_text=True)
    assert "电话 13812345678 → 13900000000" in page


def test_a_dispatcher_may_not_move_a_household(app, client, world):
    answer = world.as_(client, "dispatcher").post(f"/households/{world['household']}", data={"name": "x"})
    assert answer.status_code == 403


def test_an_admin_moves_a_household_to_another_estate_and_the_history_names_both(app, client, world):
    with app.app_context():
        household = db.session.get(Household, world["household"])
        old_name = household.estate.name
        new_estate = factories.estate(household.estate.area, name="新小区")
        db.session.commit()
        form = {"name": household.name, "phone": household.phone, "estate_id": str(new_estate.id),
                "building": "9", "unit": household.unit, "room": household.room}
    world.as_(client, "admin").post(f"/households/{world['household']}", data=form)
    page = client.get(f"/households/{world['household']}").get_data(as_text=True)
    assert f"小区 {old_name} → 新小区" in page and "楼号" in page


@pytest.mark.parametrize("form,field", [({"name": "王秀兰", "phone": "打不通"}, "phone"),
                                        ({"name": "", "phone": "13900000000"}, "name")])
def test_contact_details_typed_wrong_are_refused_beside_the_field(app, client, world, form, field):
    answer = world.as_(client, "dispatcher").post(f"/households/{world['household']}/contact", data=form)
    assert answer.status_code == 422 and f'id="household-{field}-error"' in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Household, world["household"]).phone == "13812345678"


def test_technicians_do_not_read_household_files(app, client, world):
    assert world.as_(client, "technician").get(f"/households/{world['household']}").status_code == 403
