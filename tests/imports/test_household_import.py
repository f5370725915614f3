"""Importing households from a billing system's export: GBK or UTF-8 CSV and XLSX, the company's own column
names mapped once and remembered, a dry run that reports every row and changes nothing, unknown estates
created in the same step, and an import that is all or nothing."""
import io
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook

from app.audit.models import AuditEvent
from app.branches.models import Estate
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.households.models import Household
from app.imports import services
from app.imports.models import CHECKED, FAILED, IMPORTED, HouseholdImport
from tests import factories

HEADER = "用户编号,户名,联系电话,小区名称,楼栋,单元号,房号,供热面积,片区,备注"


def rows_text(estate, extra=()):
    lines = [HEADER,
             f"2001,王秀兰,13800000001,{estate},3号楼,2单元,501,85.5,河东片区,",
             f"2002,=HYPERLINK(\"http://x\"),13800000002,{estate},3,2,502,,河东片区,老人独居",
             "2003,李四,打不通,新华苑,1,1,101,,河东片区,",
             f"2001,王秀兰重复,13800000003,{estate},3,2,503,,,",
             "2004,赵六,13800000004,新华苑,1,1,102,,河东片区,",
             *extra]
    return "\n".join(lines) + "\n"


@pytest.fixture
def place(ctx):
    area = factories.area(name="河东片区")
    estate = factories.estate(area, name="幸福里")
    admin = factories.user("admin")
    db.session.flush()
    return area, estate, admin


def uploaded(admin, name, data):
    found = services.upload(admin, name, BytesIO(data))
    services.set_mapping(admin, found, found.mapping)
    services.check(found.id)
    return found


def test_a_gbk_file_with_the_companys_own_headings_is_read_and_every_row_reported(place):
    area, estate, admin = place
    found = uploaded(admin, "收费系统导出.csv", rows_text(estate.name).encode("gbk"))
    assert found.encoding == "gb18030" and found.status == CHECKED
    assert found.mapping == {"account_number": 0, "name": 1, "phone": 2, "estate": 3, "building": 4, "unit": 5,
                             "room": 6, "floor_area": 7, "area": 8, "note": 9}
    assert (found.rows, found.added, found.updated, found.rejected) == (5, 3, 0, 2)
    reasons = {row.row_number: row.reason for row in services.rejected_rows(found)}
    assert reasons == {4: "电话:格式不正确'打不通'", 5: "户号:与第 2 行重复(2001)"}
    assert found.unknown_estates == {"新华苑": {"rows": 1, "area": "河东片区"}}
    assert db.session.execute(db.select(Household)).first() is None  # a dry run changes nothing


def test_the_import_creates_the_chosen_estates_and_adds_the_households_in_one_step(place):
    area, estate, admin = place
    found = uploaded(admin, "a.csv", rows_text(estate.name).encode("utf-8-sig"))
    new_estates = services.choose_new_estates(admin, found, {"新华苑": area.id})
    services.apply(found.id, admin.id, new_estates)
    found = db.session.get(HouseholdImport, found.id)
    assert (found.status, found.added, found.updated, found.rejected) == (IMPORTED, 3, 0, 2)
    households = {h.account_number: h for h in db.session.execute(db.select(Household)).scalars()}
    assert sorted(households) == ["2001", "2002", "2004"]
    wang = households["2001"]
    assert (wang.building, wang.unit, wang.room, wang.floor_area_centi) == ("3", "2", "501", 8550)
    assert households["2002"].name == '=HYPERLINK("http://x")' and households["2002"].note == "老人独居"
    assert households["2004"].estate.name == "新华苑" and households["2004"].estate.area_id == area.id
    history = db.session.execute(db.select(AuditEvent).filter_by(entity="household", action="import")).scalars().all()
    assert sorted(e.entity_id for e in history) == sorted(h.id for h in households.values())
    assert {e.data["filename"] for e in history} == {"a.csv"} and {e.actor_id for e in history} == {admin.id}


def test_the_same_file_again_changes_nothing_and_a_changed_row_updates_its_household(place):
    area, estate, admin = place
    first = uploaded(admin, "a.csv", rows_text(estate.name).encode())
    services.apply(first.id, admin.id, services.choose_new_estates(admin, first, {"新华苑": area.id}))
    again = uploaded(admin, "a.csv", rows_text(estate.name).replace("13800000001", "13900000001").encode())
    assert (again.added, again.updated, again.unchanged) == (0, 1, 2)
    services.apply(again.id, admin.id, services.choose_new_estates(admin, again, {}))
    assert db.session.execute(db.select(Household).filter_by(account_number="2001")).scalar_one().phone == \
        "13900000001"


def test_an_estate_not_chosen_leaves_its_rows_out(place):
    area, estate, admin = place
    found = uploaded(admin, "a.csv", rows_text(estate.name).encode())
    services.apply(found.id, admin.id, services.choose_new_estates(admin, found, {}))
    found = db.session.get(HouseholdImport, found.id)
    assert (found.added, found.rejected) == (2, 3)
    assert db.session.execute(db.select(Estate).filter_by(name="新华苑")).first() is None


def test_a_failed_import_changes_nothing(place, monkeypatch):
    area, estate, admin = place
    found = uploaded(admin, "a.csv", rows_text(estate.name).encode())
    new_estates = services.choose_new_estates(admin, found, {"新华苑": area.id})
    db.session.commit()

    def broken(_found):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_update_households", broken)
    with pytest.raises(RuntimeError):
        services.apply(found.id, admin.id, new_estates)
    found = db.session.get(HouseholdImport, found.id)
    assert found.status == FAILED and "未做任何改动" in found.error
    assert db.session.execute(db.select(Household)).first() is None
    assert db.session.execute(db.select(Estate).filter_by(name="新华苑")).first() is None


def test_an_xlsx_is_read_with_numbers_as_the_cells_show_them(place):
    area, estate, admin = place
    book = Workbook()
    sheet = book.active
    sheet.append(["户号", "姓名", "电话", "小区", "楼号", "单元", "室", "面积"])
    sheet.append([3001, "张三", 13800000005, estate.name, 7, 1, 1102, 60.25])
    data = BytesIO()
    book.save(data)
    found = uploaded(admin, "a.xlsx", data.getvalue())
    services.apply(found.id, admin.id, services.choose_new_estates(admin, found, {}))
    household = db.session.execute(db.select(Household)).scalar_one()
    assert (household.account_number, household.phone, household.room, household.floor_area_centi) == (
        "3001", "13800000005", "1102", 6025)


def test_a_heading_mapped_once_is_remembered_for_the_next_file(place):
    area, estate, admin = place
    text = "代码,姓名,电话,小区,楼号,单元,室\n4001,甲,13800000006,幸福里,1,1,1\n"
    found = services.upload(admin, "a.csv", BytesIO(text.encode()))
    assert "account_number" not in found.mapping  # 代码 is no name the import knows
    services.set_mapping(admin, found, {**found.mapping, "account_number": 0})
    again = services.upload(admin, "b.csv", BytesIO(text.encode()))
    assert again.mapping["account_number"] == 0


def test_a_mapping_without_a_required_column_is_refused(place):
    area, estate, admin = place
    found = services.upload(admin, "a.csv", BytesIO(rows_text(estate.name).encode()))
    mapping = {**found.mapping}
    del mapping["phone"]
    with pytest.raises(ValidationFailed) as refused:
        services.set_mapping(admin, found, mapping)
    assert "phone" in refused.value.fields


@pytest.mark.parametrize("name,data,reason", [
    ("a.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls"),
    ("a.csv", b"", "文件是空的"),
    ("a.xlsx", b"PK\x03\x04 not a zip", "无法读取该 XLSX"),
])
def test_a_file_that_cannot_be_read_is_refused_and_not_kept(place, name, data, reason):
    area, estate, admin = place
    with pytest.raises(ValidationFailed, match=reason):
        services.upload(admin, name, BytesIO(data))


def test_a_zip_bomb_is_refused_before_it_is_opened(place):
    area, estate, admin = place
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"0" * (50 * 1024 * 1024))
    with pytest.raises(ValidationFailed, match="解压后过大"):
        services.upload(admin, "bomb.xlsx", BytesIO(bomb.getvalue()))


def test_what_the_export_writes_imports_back_unchanged(app, client, world):
    exported = world.as_(client, "admin").get("/households/export.csv").data
    with app.app_context():
        admin = db.session.get(factories.User, world["admin"])
        found = uploaded(admin, "export.csv", exported)
        assert (found.rows, found.unchanged, found.rejected) == (1, 1, 0)


def test_a_file_beyond_the_limit_is_refused_before_it_is_read(app, client, world):
    too_big = BytesIO(b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    answer = world.as_(client, "admin").post("/households/imports", data={"file": (too_big, "big.csv")},
                                             content_type="multipart/form-data")
    assert answer.status_code == 413 and "提交的内容过大" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(HouseholdImport)).first() is None


def test_the_import_starts_once_however_often_it_is_asked(place):
    area, estate, admin = place
    found = uploaded(admin, "a.csv", rows_text(estate.name).encode())
    services.choose_new_estates(admin, found, {})
    with pytest.raises(Conflict):
        services.choose_new_estates(admin, found, {})


def test_the_row_by_row_report_downloads_every_row_with_its_outcome(app, client, world):
    with app.app_context():
        admin = db.session.get(factories.User, world["admin"])
        estate = db.session.get(Household, world["household"]).estate.name
        found = uploaded(admin, "a.csv", rows_text(estate).encode())
        db.session.commit()
        import_id = found.id
    text = world.as_(client, "admin").get(f"/households/imports/{import_id}/report.csv").get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "行,结果,原因,户号,姓名,电话,小区,楼号,单元,室" and len(lines) == 6
    assert lines[3].startswith("4,拒绝,电话:格式不正确") and "'=HYPERLINK" in lines[2]  # a formula stays text
