"""The demo price list: realistic heating prices, in force from the day it is loaded, loaded once."""
from app.price_list import services
from app.price_list.demo import NAME, load_demo_price_list
from app.price_list.models import CATEGORIES


def test_the_demo_price_list_is_in_force_and_loads_once(admin):
    first = load_demo_price_list(admin)
    assert load_demo_price_list(admin) is first and len(services.all_versions()) == 1
    assert services.version_in_force() == first and first.name == NAME
    assert {item.category for item in first.items} == set(CATEGORIES)
    assert 20 <= len(first.items) <= 35


def test_the_demo_prices_are_the_ones_a_customer_would_expect(admin):
    version = load_demo_price_list(admin)
    prices = {(item.name, item.specification): item.price_fen for item in version.items}
    assert prices[("铜球阀", "DN20")] == 4500
    assert prices[("维修人工费", "按小时计,不足 1 小时按 1 小时")] == 6000
    assert (version.basic_labour_fee.name, version.basic_labour_fee.price_fen) == ("基本人工费", 3000)
    assert prices[("铜球阀", "DN15")] < prices[("铜球阀", "DN20")] < prices[("铜球阀", "DN25")]
