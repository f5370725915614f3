"""Staff from a spreadsheet: each good row created as on the 人员 page with a first password shown once; a
dry run keeps nothing; a bad row is refused with its row and why."""
from io import BytesIO

from openpyxl import Workbook

from app.auth.models import User
from app.branches.models import Area
from app.extensions import db

HEADER = ["工号", "用户名", "姓名", "角色", "电话", "分公司", "片区"]


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    data = BytesIO()
    book.save(data)
    data.seek(0)
    return data


def people(app, world):
    with app.app_context():
        area = db.session.get(Area, world["area"])
        branch_code, area_name = area.branch.code, area.name
    return [["T5001", "", "孙一", "维修师傅", "13500000001", branch_code, area_name],
            ["T5002", "", "孙二", "维修师傅", "13500000002", branch_code, "没有的片区"],
            ["", "liuting2", "刘二", "调度员", "", "", ""],
            ["", "", "无名", "厨师", "", "", ""]]


def upload(world, client, data, dry_run):
    form = {"file": (data, "人员.xlsx")}
    if dry_run:
        form["dry_run"] = "1"
    return world.as_(client, "admin").post("/admin/staff/import", data=form, content_type="multipart/form-data")


def test_a_dry_run_reports_every_row_and_keeps_nothing(app, client, world):
    page = upload(world, client, xlsx(people(app, world)), dry_run=True).get_data(as_text=True)
    assert "可添加 2 人,拒绝 2 行" in page
    assert "片区:没有片区:没有的片区" in page and "角色:须为" in page
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(name="孙一")).first() is None


def test_the_import_creates_the_good_rows_with_first_passwords_shown_once(app, client, world):
    page = upload(world, client, xlsx(people(app, world)), dry_run=False).get_data(as_text=True)
    assert "已添加 2 人,拒绝 2 行" in page and page.count('class="password"') == 2
    with app.app_context():
        technician = db.session.execute(db.select(User).filter_by(badge_number="T5001")).scalar_one()
        assert (technician.username, technician.must_change_password) == ("T5001", True)
        assert [a.id for a in technician.areas] == [world["area"]]
        assert db.session.execute(db.select(User).filter_by(username="liuting2")).scalar_one().role == "dispatcher"
        assert db.session.execute(db.select(User).filter_by(badge_number="T5002")).first() is None


def test_a_file_without_the_needed_headings_is_refused(app, client, world):
    book = Workbook()
    book.active.append(["工号", "电话"])
    data = BytesIO()
    book.save(data)
    data.seek(0)
    answer = upload(world, client, data, dry_run=True)
    assert answer.status_code == 302
    page = client.get("/admin/staff").get_data(as_text=True)
    assert "缺少:姓名、角色" in page
