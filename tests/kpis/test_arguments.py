"""Whatever is typed into the address bar, the KPI pages and files answer with a page that says what is wrong."""
import pytest

from tests.conftest import sign_in

PAGES = ("/kpis?", "/kpis/orders?kpi=repair_timeliness&", "/kpis/export.xlsx?", "/kpis/ledger.xlsx?")
DRILL = "/kpis/orders?month=2026-11&kpi=repair_timeliness&"
TOO_BIG = "99999999999999999999"


def _refused(response, status, words):
    html = response.get_data(as_text=True)
    assert (response.status_code, response.mimetype) == (status, "text/html")
    assert words in html


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("month", ["2026-13", "2026-00", "0000-01", "1999-12", "99999-01", "202%C2%B2-11",
                                   "2026-1%C2%B2", "%D9%A2%D9%A0%D9%A2%D9%A6-11", "2026-11x"])
def test_a_month_that_is_not_one_is_refused_in_words(client, company, path, month):
    response = sign_in(client, company.back_office).get(f"{path}month={month}")
    _refused(response, 422, "月份应为 2000-01 到 2099-12 之间的 YYYY-MM")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("branch", ["%C2%B2", TOO_BIG, "2147483648", "0", "-1", "+1", "1.0", "%EF%BC%91"])
def test_a_branch_that_is_not_an_id_is_refused_in_words(client, company, path, branch):
    response = sign_in(client, company.back_office).get(f"{path}month=2026-11&branch={branch}")
    _refused(response, 422, "分公司应为 1 到 2147483647 之间的整数")


@pytest.mark.parametrize("path", PAGES)
def test_an_unknown_branch_is_not_found_rather_than_the_whole_company(client, company, path):
    response = sign_in(client, company.back_office).get(f"{path}month=2026-11&branch=424242")
    _refused(response, 404, "没有这个分公司")


@pytest.mark.parametrize(("argument", "words"), [
    ("technician=%C2%B2", "维修师傅应为 0 到 2147483647 之间的整数"),
    (f"technician={TOO_BIG}", "维修师傅应为 0 到 2147483647 之间的整数"),
    ("technician=-1", "维修师傅应为 0 到 2147483647 之间的整数"),
    (f"page={TOO_BIG}", "页码应为 1 到 2147483647 之间的整数"),
    ("page=%C2%B2", "页码应为 1 到 2147483647 之间的整数"),
    ("page=0", "页码应为 1 到 2147483647 之间的整数"),
    (f"technician={TOO_BIG}&page={TOO_BIG}", "应为"),
])
def test_a_technician_or_page_that_is_not_a_number_is_refused_in_words(client, company, argument, words):
    _refused(sign_in(client, company.back_office).get(DRILL + argument), 422, words)


def test_an_unknown_technician_is_not_found(client, company):
    _refused(sign_in(client, company.back_office).get(DRILL + "technician=424242"), 404, "没有这位维修师傅")


def test_nobody_a_real_technician_and_empty_choices_still_answer(client, company):
    client = sign_in(client, company.back_office)
    assert client.get(DRILL + "technician=0").get_data(as_text=True).count("未派单") >= 1
    assert client.get(f"{DRILL}technician={company.zhang.id}&branch={company.east.id}&page=1").status_code == 200
    assert client.get(f"{DRILL}page=2147483647").status_code == 200
    for path in PAGES:
        assert client.get(f"{path}month=2026-11&branch=").status_code == 200
        assert client.get(f"{path}month=2000-01&branch={company.west.id}").status_code == 200
