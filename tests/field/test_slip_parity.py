"""The phone's slip arithmetic agrees with the server's, case by case: canonical JSON and its SHA-256,
大写金额, quantities and line pricing. A customer signs on the phone and the server keeps only what
hashes the same, so any difference here would refuse a real slip.
"""
import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.errors import ValidationFailed
from app.paid_service.services import Wanted, amount_fen, price_lines, quantity_centi
from app.price_list.models import PUBLISHED
from app.price_list.money import in_capitals
from app.service_slips.content import after_sales_entries, canonical, digest
from app.temperature.standard import Standard
from app.visits.services import tenths_of
from tests.service_slips.documents import free_content, paid_content

SLIP_MODULES = """async () => ({
    money: await import("/static/js/slips/money.js"),
    pricing: await import("/static/js/slips/pricing.js"),
    content: await import("/static/js/slips/content.js"),
    standard: await import("/static/js/field/standard.js"),
})"""


@pytest.fixture
def js(page, live_server):
    """A page of the app (the offline page: nothing else runs on it) that can import the slip modules."""
    page.goto(f"{live_server}/field/offline")

    def run(body, arg=None):
        return page.evaluate(f"async (arg) => {{ const m = await ({SLIP_MODULES})(); {body} }}", arg)

    return run


def sample_documents():
    rng = random.Random(7)
    awkward = ["", "王秀兰", 'say "hi"', "C:\\temp\\a\\b", "line\nbreak\r\ttab", "\x00\x01\x1f\x7f",
               "emoji 🔧🚿 and 😀", "\u2028\u2029", "full　width space", "¥1,234.50 / ￥", "\ud7ff\ue000\uffff",
               "<script>&amp;</script>", "'single'", "/slashes/", "a" * 600]
    docs = [
        paid_content(), free_content(),
        paid_content(damages=["客户自行拆改\n暖气片"], replaces="CD-2026-000001",
                     readings=[{"room": "kitchen", "tenths": -5}]),
        {"v": 1, "b": True, "a": None, "n": [], "o": {}, "i": 0, "neg": -42, "big": 2**53 - 1},
        {"z": {"y": {"x": [1, {"b": 2, "a": 1}, ["s", None, False]]}}, "键": "值", "🔑": "e", "\ue000": "pua"},
        {"e": "😀", "d": "\uffff", "c": "𠀀", "b": "\ud7ff"},  # code-point order differs from UTF-16 order
    ]
    docs += [{"text": text, "nested": {"list": [text, {"k": text}]}} for text in awkward]
    docs.append({text or "empty": index for index, text in enumerate(awkward)})
    for _ in range(20):
        docs.append({"".join(rng.choice("abc王🔧\"\\\n") for _ in range(rng.randint(1, 4))): rng.randint(-10**9, 10**9)
                     for _ in range(5)})
    return docs


def test_canonical_json_and_its_sha256_are_the_servers_byte_for_byte(js):
    docs = sample_documents()
    phone = js("""return Promise.all(arg.map(async (doc) =>
        [m.content.canonical(doc), await m.content.digest(doc)]));""", docs)
    assert phone == [[canonical(doc).decode(), digest(doc)] for doc in docs]


def test_capitals_are_written_as_on_the_server(js):
    rng = random.Random(2026)
    values = [0, 1, 9, 10, 11, 99, 100, 101, 110, 1000, 1001, 1010, 1100, 10010, 10100, 100000, 100001,
              1000000, 1000005, 10000000, 100000000, 100000001, 1000000000, 1000100000, 10000000000,
              100000000000, 100001000000, 1234567890, 123450, 3000, 6800, 20, 5, 105, 100000000000000 - 1]
    values += [rng.randint(0, 10**6) for _ in range(150)] + [rng.randint(0, 10**14 - 1) for _ in range(150)]
    values += [rng.choice([1, 10, 100, 1000, 10000]) * rng.choice([10**k for k in range(10)]) for _ in range(50)]
    phone = js("return arg.map((fen) => m.money.inCapitals(fen));", values)
    assert dict(zip(values, phone, strict=True)) == {fen: in_capitals(fen) for fen in values}


def test_money_is_formatted_with_grouping_and_two_decimals(js):
    assert js("return arg.map((fen) => m.money.formatFen(fen));", [0, 5, 3000, 123450, 100000000, -150]) == [
        "¥0.00", "¥0.05", "¥30.00", "¥1,234.50", "¥1,000,000.00", "-¥1.50"]


def test_quantities_and_amounts_round_half_up_in_integers(js):
    texts = ["1", "2", "1.5", "0.25", "1.50", "1.500", "10000", "0.01", " 3 ", ".5", "5.", "01",
             "0", "0.00", "-1", "1.234", "10000.01", "abc", "", ".", "1,5", "1 5"]
    phone = js("return arg.map((t) => m.money.quantityCenti(t));", texts)

    def server(text):
        try:
            return quantity_centi(text)
        except ValueError:
            return None

    assert dict(zip(texts, phone, strict=True)) == {text: server(text) for text in texts}

    rng = random.Random(11)
    pairs = [(rng.randint(0, 10**7), rng.randint(1, 10**6)) for _ in range(300)]
    pairs += [(3000, 150), (1, 50), (1, 49), (333, 3)]
    assert js("return arg.map(([p, c]) => m.money.amountFen(p, c));", pairs) == [amount_fen(p, c) for p, c in pairs]


def test_temperatures_become_tenths_half_up_as_written(js):
    values = [18.25, 1.15, 17.5, 19, -3.25, -0.05, 0, 22.45, 39.95, -9.95, 18.3, 16]
    assert js("return arg.map((c) => m.content.tenthsOf(c));", values) == [tenths_of(c) for c in values]


ITEMS = [
    # id, code, name, specification, unit, category, price_fen, is_basic_labour_fee
    (12, "FM-DN20", "铜截止阀", "DN20", "个", "equipment", 6800, False),
    (13, "PJ-SJ", "生料带", "", "卷", "fitting", 250, False),
    (14, "CL-GG", "PPR 管", "DN20", "米", "material", 1533, False),
    (15, "RG-JB", "基本人工费", "", "次", "labour", 3000, True),
    (16, "RG-HJ", "焊接", "", "处", "labour", 4550, False),
]


def version(with_fee=True):
    items = [SimpleNamespace(id=i, code=c, name=n, specification=s, unit=u, category=cat, price_fen=p,
                             is_basic_labour_fee=fee and with_fee)
             for i, c, n, s, u, cat, p, fee in ITEMS]
    fee = next((i for i in items if i.is_basic_labour_fee), None)
    return SimpleNamespace(status=PUBLISHED, items=items, basic_labour_fee=fee)


def as_json(v):
    return {"id": 3, "items": [dict(vars(item)) for item in v.items]}


QUOTES = [
    [(12, "1", "customer")],  # own valve: ¥0, and the basic labour fee
    [(12, "1", "company")],
    [(12, "2", "customer"), (15, "1", "company")],  # the fee already chosen: not added again
    [(14, "1.5", "company"), (13, "3", "customer"), (16, "0.33", "company")],
    [(16, "1", "customer")],  # labour is always the company's
    [(14, "0.01", "company"), (14, "9999.99", "customer")],
    [(15, "2", "company")],
]
BAD_QUOTES = [[], [(99, "1", "company")], [(12, "0", "company")], [(12, "1.234", "company"), (13, "x", "company")],
              [(12, "1", "neighbour")], [(12, "1", "company")] * 51]


def server_lines(v, quote):
    try:
        lines = price_lines(v, [Wanted(item, quantity, supplied) for item, quantity, supplied in quote])
    except ValidationFailed as error:
        return {"error": error.fields}
    return [{key: getattr(line, key) for key in (
        "price_item_id", "code", "name", "specification", "unit", "category", "quantity_centi", "supplied_by",
        "unit_price_fen", "amount_fen", "added_for_own_materials")} for line in lines]


@pytest.mark.parametrize("with_fee", [True, False])
def test_line_pricing_follows_the_servers_rules(js, ctx, with_fee):
    v = version(with_fee)
    quotes = QUOTES + BAD_QUOTES
    phone = js("""return arg.quotes.map((quote) => {
        try {
            return m.pricing.priceLines(arg.version, quote.map(([id, q, s]) =>
                ({ price_item_id: id, quantity: q, supplied_by: s })));
        } catch (error) {
            return { error: error.fields };
        }
    });""", {"version": as_json(v), "quotes": quotes})
    assert phone == [server_lines(v, quote) for quote in quotes]


@pytest.mark.parametrize("rule", [Standard(), Standard(7 * 60, 22 * 60 + 30, 200, 170), Standard(0, 24 * 60, 180, 160)])
def test_a_reading_is_held_to_the_same_minimum_on_the_phone_as_on_the_server(js, app, rule):
    """Every quarter hour of a day and the minutes around each boundary, in UTC as the phone's clock gives them."""
    start = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 23:00 in Beijing
    moments = [start + timedelta(minutes=15 * k) for k in range(4 * 26)]
    moments += [start + timedelta(minutes=m) for m in range(-2, 24 * 60, 1) if (m + 23 * 60) % 1440 in (
        rule.day_starts - 1, rule.day_starts, rule.day_ends - 1, rule.day_ends % 1440)]
    with app.app_context():
        bundle = rule.as_bundle()
        expected = [rule.minimum_at(moment) for moment in moments]
    phone = js("return arg.moments.map((iso) => m.standard.minimumAt(arg.rule, iso));",
               {"rule": bundle, "moments": [moment.isoformat().replace("+00:00", "Z") for moment in moments]})
    assert phone == expected


def test_the_standard_is_written_as_the_server_writes_it(js):
    tenths = [180, 160, 165, 200, 0, -5, 305]
    from app.temperature.standard import celsius_text

    assert js("return arg.map((t) => m.standard.celsiusText(t));", tenths) == [celsius_text(t) for t in tenths]


TERMS = {12: ("阀体质量问题免费更换", 12), 14: ("管材质量问题免费返修", 6), 15: ("同一部位同一故障免费返修", 0),
         16: ("", 0)}


@pytest.mark.parametrize("quote", QUOTES)
def test_after_sales_terms_follow_the_servers_rule(js, ctx, quote):
    v = version()
    server_priced = price_lines(v, [Wanted(item, quantity, supplied) for item, quantity, supplied in quote])
    expected = after_sales_entries(server_priced, lambda item_id: TERMS.get(item_id, ("", 0)))
    priced = server_lines(v, quote)
    items = [{**dict(vars(item)), "after_sales": TERMS.get(item.id, ("", 0))[0],
              "warranty_months": TERMS.get(item.id, ("", 0))[1]} for item in v.items]
    phone = js("return m.pricing.afterSales(arg.lines, { items: arg.items });", {"lines": priced, "items": items})
    assert phone == expected
