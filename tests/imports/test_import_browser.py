"""The admin imports a billing system's file on the desk: the columns proposed from the company's own
headings, a dry run with a progress bar that survives a reload, unknown estates created under a chosen area,
then the import — all as a person sees it."""
import re

from playwright.sync_api import expect

from app.extensions import db
from app.households.models import Household
from tests import factories
from tests.conftest import open_desk

ROWS = 60_000


def billing_file(path, estate):
    with open(path, "w", encoding="gbk", newline="") as out:
        out.write("用户编号,户名,联系电话,小区名称,楼栋,单元号,房号,供热面积,片区,备注\r\n")
        for n in range(ROWS):
            place = estate if n % 2 else "新华苑"
            address = f"{place},{n % 30 + 1},{n % 4 + 1},{n % 25 + 1}01"
            out.write(f"{500000 + n},住户{n},138{n:08d},{address},66.5,河东片区,\r\n")
        out.write("999,坏行,打不通,幸福里,1,1,1,,,\r\n")


def test_an_admin_imports_sixty_thousand_households_with_a_progress_bar(app, live_server, browser, tmp_path):
    with app.app_context():
        area = factories.area(name="河东片区")
        estate = factories.estate(area, name="幸福里")
        factories.user("admin", username="boss")
        db.session.commit()
        estate_name, area_id = estate.name, area.id
    path = tmp_path / "收费系统.csv"
    billing_file(path, estate_name)

    desk = open_desk(browser, live_server, "boss")
    desk.goto(f"{live_server}/households/imports")
    desk.get_by_label("文件", exact=True).set_input_files(str(path))
    desk.get_by_role("button", name="上传").click()
    expect(desk.get_by_role("heading", name=re.compile("收费系统.csv"))).to_contain_text("GBK/GB18030")
    expect(desk.get_by_label("户号")).to_have_value("1")  # 用户编号, known as 户号
    expect(desk.get_by_label("电话")).to_have_value("3")
    desk.get_by_role("button", name="预检(不做改动)").click()

    expect(desk.locator("#import-bar")).to_be_visible()
    desk.reload()  # the job goes on without the page
    result = desk.locator(".import-counts")
    expect(result).to_contain_text(f"共 {ROWS + 1} 行:将新增 {ROWS} 户", timeout=60_000)
    expect(result).to_contain_text("拒绝 1 行")
    expect(desk.locator("#rejected-title + table, #rejected-title ~ table")).to_contain_text("电话:格式不正确'打不通'")
    with app.app_context():
        assert db.session.execute(db.select(Household)).first() is None  # the dry run changed nothing

    # the file's 片区 column proposes where to create the estate it names
    expect(desk.get_by_label("新华苑新建于片区")).to_have_value(str(area_id))
    desk.get_by_role("button", name="导入").click()
    expect(desk.get_by_role("heading", name="导入完成")).to_be_visible(timeout=60_000)
    expect(desk.locator(".import-counts")).to_contain_text(f"已新增 {ROWS} 户")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Household)).scalar_one() == ROWS
    assert desk.problems == []
