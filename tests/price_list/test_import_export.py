"""Import and export: CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX, a row-by-row report, dry runs, round trips."""
import codecs
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import Conflict
from app.extensions import db
from app.price_list import imports, services, sheets
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, draft, item

HEADER = "编码,名称,规格,单位,类别,单价(元),基本人工费\n"
GOOD_ROWS = ("PJ-001,铜球阀,DN15,个,配件,35.00,否\n"
             "RG-001,基本人工费,每次上门,次,人工,30,是\n"
             "CL-001,PPR 热水管,DN20,米,材料,\"1,012.5\",\n")


def _items(version):
    return sorted((i.code, i.name, i.specification, i.unit, i.category, i.price_fen, i.is_basic_labour_fee)
                  for i in version.items)


def _import(version, text, encoding="utf-8", filename="价目表.csv", dry_run=False, actor=None):
    return imports.import_file(actor, version, filename, text.encode(encoding), dry_run)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk_as_excel_saves_it(admin, encoding):
    version = draft(admin, [])
    report = _import(version, HEADER + GOOD_ROWS, encoding)
    assert (report.rows, report.added, report.rejected) == (3, ["PJ-001", "RG-001", "CL-001"], [])
    assert _items(version) == [
        ("CL-001", "PPR 热水管", "DN20", "米", "material", 101250, False),
        ("PJ-001", "铜球阀", "DN15", "个", "fitting", 3500, False),
        ("RG-001", "基本人工费", "每次上门", "次", "labour", 3000, True),
    ]


def test_each_rejected_row_is_reported_with_its_row_column_and_reason(admin):
    version = draft(admin, [])
    text = HEADER + GOOD_ROWS + (
        "PJ-002,铜球阀,DN20,个,配件,12.345,否\n"      # row 5
        "PJ-001,铜球阀,DN15,个,配件,36.00,否\n"        # row 6: the code again
        "PJ-003,铜球阀,DN25,个,水泥,68,否\n"           # row 7
        "PJ-004,,DN15,个,配件,12,否\n"                 # row 8
        "PJ-005,自动排气阀,DN15,个,配件,-38,否\n"       # row 9
        "RG-002,维修人工费,按小时,小时,人工,60,是\n"     # row 10: a second basic labour fee
        "PJ-006,弯头,DN20,个,配件,3.5,也许\n"           # row 11
        ",,,,,,\n"                                      # blank: skipped, not rejected
        "PJ 7,弯头,DN25,,配件,5,否\n"                   # row 13: two problems
    )
    report = _import(version, text)
    assert [r.message for r in report.rejected] == [
        "第 5 行 单价:金额最多两位小数(到分) '12.345'",
        "第 6 行 编码:编码与第 2 行重复 'PJ-001'",
        "第 7 行 类别:未知类别,应为 设备、配件、材料、人工 '水泥'",
        "第 8 行 名称:此项必填",
        "第 9 行 单价:金额不能为负数 '-38'",
        "第 10 行 基本人工费:基本人工费只能有一项,第 3 行已是",
        "第 11 行 基本人工费:须填“是”或“否” '也许'",
        "第 13 行 编码:编码为 1–32 位字母、数字或 . _ - 'PJ 7'",
        "第 13 行 单位:此项必填",
    ]
    assert report.rows == 11 and report.rejected_rows == 8
    assert sorted(i.code for i in version.items) == ["CL-001", "PJ-001", "RG-001"]
    assert "拒绝 8 行" in report.summary


def test_a_dry_run_reports_the_same_and_imports_nothing(admin):
    version = draft(admin, [VALVE])
    report = _import(version, HEADER + GOOD_ROWS + "PJ-002,铜球阀,DN20,个,配件,48,否\nX,,,,,,\n", dry_run=True)
    assert report.dry_run and report.added == ["PJ-001", "RG-001", "CL-001"] and report.updated == ["PJ-002"]
    assert report.rejected_rows == 1 and "预检" in report.summary
    assert _items(version) == [("PJ-002", "铜球阀", "DN20", "个", "fitting", 4500, False)]


def test_rows_with_a_known_code_update_that_item_and_others_stay(admin):
    version = draft(admin, [VALVE, LABOUR])
    report = _import(version, HEADER + "PJ-002,铜球阀,DN20,个,配件,48.00,否\n"
                                       "RG-002,维修人工费,按小时计,小时,人工,60,否\n")
    assert (report.added, report.updated, report.unchanged) == ([], ["PJ-002"], ["RG-002"])
    assert [i.price_fen for i in version.items] == [4800, 6000]


def test_a_file_may_move_the_basic_labour_fee_and_says_so(admin):
    version = draft(admin, [VALVE, BASIC_FEE, LABOUR])
    report = _import(version, HEADER + "RG-002,维修人工费,按小时计,小时,人工,60,是\n")
    assert report.notes == ["基本人工费由 RG-001“基本人工费”改为 RG-002。"]
    assert version.basic_labour_fee.code == "RG-002"


def test_xlsx_is_read_with_numbers_as_excel_stores_them(admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["编码", "名称", "规格", "单位", "类别", "单价(元)", "基本人工费"])
    sheet.append([1001, "铜球阀", "DN15", "个", "配件", 35, "否"])
    sheet.append(["RG-001", "基本人工费", None, "次", "人工", 30.5, True])
    sheet.append(["PJ-9", "弯头", "DN20", "个", "配件", 0.125, None])
    out = io.BytesIO()
    workbook.save(out)
    version = draft(admin, [])
    report = imports.import_file(admin, version, "价目表.xlsx", out.getvalue())
    assert [r.message for r in report.rejected] == ["第 4 行 单价:金额最多两位小数(到分) '0.125'"]
    assert _items(version) == [("1001", "铜球阀", "DN15", "个", "fitting", 3500, False),
                               ("RG-001", "基本人工费", "", "次", "labour", 3050, True)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_items(admin, kind):
    tricky = item(code="X-1", name="=HYPERLINK(\"http://x\")", specification="-20 ℃ 以下 \"加厚\", 带保温",
                  price_fen=101, after_sales="=阀体质量问题免费更换, 人为损坏除外", warranty_months=12)
    original = services.publish(admin, draft(admin, [VALVE, BASIC_FEE, LABOUR, tricky]), services.local_today())
    data = sheets.to_csv(original) if kind == "csv" else sheets.to_xlsx(original)
    copy = draft(admin, [], name="导入")
    report = imports.import_file(admin, copy, f"export.{kind}", data)
    assert report.rejected == [] and _items(copy) == _items(original)
    terms = {i.code: (i.after_sales, i.warranty_months) for i in copy.items}
    assert terms["X-1"] == ("=阀体质量问题免费更换, 人为损坏除外", 12) and terms["PJ-002"] == ("", 0)


def test_csv_export_opens_in_excel_and_cannot_run_formulas(admin):
    version = draft(admin, [VALVE, item(code="X-1", name="=1+1")])
    data = sheets.to_csv(version)
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "编码,名称,规格,单位,类别,单价(元),基本人工费,售后服务,保修期(月),材料编码,每单位耗用材料"
    assert lines[1] == "PJ-002,铜球阀,DN20,个,配件,45.00,否,,0,,"
    assert lines[2].startswith("X-1,'=1+1,")


def test_xlsx_export_keeps_text_as_text(admin):
    version = draft(admin, [BASIC_FEE, item(code="X-1", name="=1+1")])
    sheet = load_workbook(io.BytesIO(sheets.to_xlsx(version))).active
    assert [cell.value for cell in sheet[1]] == ["编码", "名称", "规格", "单位", "类别", "单价(元)", "基本人工费",
                                                 "售后服务", "保修期(月)", "材料编码", "每单位耗用材料"]
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert float(sheet["F3"].value) == 30.0 and sheet["F3"].number_format == "0.00"


@pytest.mark.parametrize(("filename", "data", "reason"), [
    ("a.csv", b"", "文件是空的"),
    ("a.csv", "名称,单价\n铜球阀,45\n".encode(), "缺少:编码、单位、类别"),
    ("a.csv", "编码,编码,名称,单位,类别,单价\n".encode(), "表头“编码”出现了两次"),
    ("a.xlsx", b"PK\x03\x04 not really a zip", "无法读取该 XLSX 文件"),
    ("a.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls 文件"),
    ("a.csv", b"\xff\xfe\x00\xd8\x00\xd8", "无法识别文件编码"),
    ("a.csv", b"x" * (sheets.MAX_BYTES + 1), "文件过大"),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(admin, filename, data, reason):
    with pytest.raises(sheets.FileRefused) as refused:
        imports.import_file(admin, draft(admin, []), filename, data)
    assert reason in refused.value.message


def test_too_many_rows_are_refused_before_anything_is_imported(admin):
    rows = "".join(f"C{n},弯头,DN20,个,配件,3.5,否\n" for n in range(sheets.MAX_ROWS + 1))
    version = draft(admin, [])
    with pytest.raises(sheets.FileRefused) as refused:
        _import(version, HEADER + rows)
    assert "超过 5000 行" in refused.value.message and version.items == []


def test_headings_may_differ_in_order_brackets_and_optional_columns(admin):
    version = draft(admin, [])
    report = _import(version, "单价(元),类别,单位,名称,编码\n45,配件,个,铜球阀,pj-002\n")
    assert report.rejected == [] and _items(version) == [("PJ-002", "铜球阀", "", "个", "fitting", 4500, False)]


def test_a_published_version_takes_no_import(admin):
    version = services.publish(admin, draft(admin), services.local_today())
    with pytest.raises(Conflict):
        _import(version, HEADER + GOOD_ROWS)


@pytest.mark.parametrize("character", ["\x01", "\x07", "\x1b", "\x7f", "\x9b"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_no_export_carries_control_characters(admin, character, kind):
    version = draft(admin, [VALVE, item(code="X-1", name="阀门")])
    version.items[-1].name = f"阀{character}门"  # stored before the rule, or through another door
    db.session.flush()
    if kind == "csv":
        text = sheets.to_csv(version).decode("utf-8-sig")
    else:
        sheet = load_workbook(io.BytesIO(sheets.to_xlsx(version))).active
        text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert character not in text and "阀门" in text


def test_a_file_without_the_terms_columns_keeps_each_items_terms(admin):
    version = draft(admin, [item(after_sales="阀体质量问题免费更换", warranty_months=12), BASIC_FEE])
    data = "编码,名称,规格,单位,类别,单价(元)\nPJ-002,铜球阀,DN20,个,配件,50\n".encode()
    report = imports.import_file(admin, version, "old.csv", data)
    valve = next(i for i in version.items if i.code == "PJ-002")
    assert report.updated == ["PJ-002"] and valve.price_fen == 5000
    assert (valve.after_sales, valve.warranty_months) == ("阀体质量问题免费更换", 12)


def test_terms_in_a_file_are_checked_like_the_form(admin):
    version = draft(admin, [BASIC_FEE])
    data = "编码,名称,单位,类别,单价,售后服务,保修期(月)\nPJ-9,铜球阀,个,配件,45,免费更换,121\n".encode()
    report = imports.import_file(admin, version, "terms.csv", data)
    assert [(r.column, r.row) for r in report.rejected] == [("保修期", 2)]
