"""考核指标 at the desk: the figures against their targets, charts a screen reader can read, the files."""
import io
import re

from openpyxl import load_workbook

from app.extensions import db
from tests.conftest import beijing, sign_in
from tests.kpis.conftest import answer, complete, place

OPENED = beijing(2026, 11, 16, 10, 0)


def _november(company):
    late = complete(company.order(company.zhang), company.zhang)
    place(late, OPENED, contacted_at=10, arrived_at=150, done_at=200)
    answer(late, company.back_office, "satisfied")
    on_time = complete(company.order(company.zhao), company.zhao)
    place(on_time, OPENED, contacted_at=10, arrived_at=60, done_at=100)
    db.session.commit()
    return late, on_time


def test_the_month_shows_each_kpi_against_its_target_with_words_not_colour_alone(client, company):
    _november(company)
    html = sign_in(client, company.back_office).get("/kpis?month=2026-11").get_data(as_text=True)
    assert "客户报修处理及时率" in html and "50.0%" in html
    assert "未达标:1 单超时" in html and "目标 ≥99%" in html
    assert "查看超时的 1 单" in html
    assert 'href="/kpis/orders?month=2026-11&amp;kpi=repair_timeliness&amp;misses=1"' in html


def test_charts_are_inline_svg_with_a_title_and_description_and_no_script_or_inline_style(client, company):
    _november(company)
    html = sign_in(client, company.back_office).get("/kpis?month=2026-11").get_data(as_text=True)
    charts = re.findall(r'<svg class="chart__svg".*?</svg>', html, re.S)
    assert len(charts) == 7  # a trend per KPI, and the branches side by side
    for chart in charts:
        assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert "2026年11月 50.0%(未达标)" in html  # the numbers are said, not only drawn
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and 'style="' not in html  # modules only, by src
    assert "趋势数据表" in html


def test_a_branch_and_its_technicians(client, company):
    _november(company)
    html = sign_in(client, company.back_office).get(f"/kpis?month=2026-11&branch={company.west.id}").get_data(
        as_text=True)
    assert "城西分公司合计" in html and "赵立新" in html and "张建军" not in html.split("维修师傅 <small>")[1]


def test_the_drill_down_page_lists_the_orders_with_reasons(client, company):
    late, on_time = _november(company)
    client = sign_in(client, company.dispatcher)
    html = client.get("/kpis/orders?month=2026-11&kpi=repair_timeliness").get_data(as_text=True)
    assert late.number in html and on_time.number in html and "到场 超时 30 分钟" in html
    html = client.get("/kpis/orders?month=2026-11&kpi=repair_timeliness&misses=1").get_data(as_text=True)
    assert late.number in html and on_time.number not in html
    assert client.get("/kpis/orders?month=2026-11&kpi=nothing").status_code == 404
    assert client.get("/kpis?month=2026-13").status_code == 422


def test_the_exports_download_as_xlsx(client, company):
    _november(company)
    client = sign_in(client, company.back_office)
    for path, sheet in (("/kpis/export.xlsx?month=2026-11", "分公司"), ("/kpis/ledger.xlsx?month=2026-11", "投诉台账")):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
        assert "attachment" in response.headers["Content-Disposition"]
        assert sheet in load_workbook(io.BytesIO(response.data)).sheetnames


def test_the_cards_say_what_they_count_and_when_a_month_is_too_small_to_read_as_a_trend(client, company):
    _november(company)
    html = sign_in(client, company.back_office).get("/kpis?month=2026-11").get_data(as_text=True)
    assert "计入:已完工的报修和跑冒滴漏,以及未完工但已超时的" in html
    assert "本月只有 2 单:一单就差约 50 个百分点,比例仅供参考,不代表趋势。" in html
    assert "docs/" not in html  # the explanation is on the page, not in the repository
