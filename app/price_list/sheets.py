"""Price list files: CSV and XLSX in, CSV and XLSX out, with the same eleven columns (a file without the last
four, after-sales terms and the material an item takes from the van, still reads).

Only the file formats live here; which rows are acceptable is decided in `imports`.
Everything read comes back as text, numbers as the decimal they show (12.5 → "12.5").
"""
import codecs
import csv
import io
import re
import zipfile
from decimal import Decimal

from app.price_list.models import CATEGORIES
from app.price_list.money import yuan_text
from app.spreadsheets import FileRefused, cell_text, csv_cell, put_value, workbook_bytes

# (field, heading). A heading may carry a note in brackets: 单价(元), 基本人工费(是/否).
COLUMNS = (("code", "编码"), ("name", "名称"), ("specification", "规格"), ("unit", "单位"),
           ("category", "类别"), ("price", "单价(元)"), ("is_basic_labour_fee", "基本人工费"),
           ("after_sales", "售后服务"), ("warranty_months", "保修期(月)"), ("material_code", "材料编码"),
           ("material_quantity", "每单位耗用材料"))
REQUIRED_COLUMNS = ("code", "name", "unit", "category", "price")
LABELS = {field: heading.split("(")[0] for field, heading in COLUMNS}
BY_LABEL = {label: field for field, label in LABELS.items()}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def read_rows(filename, data):
    """[(row number as the spreadsheet shows it, {field: text})], blank rows left out."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"文件过大,上限 {MAX_BYTES // 1024 // 1024} MB。", {"file": ["文件过大"]})
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        rows = _xlsx_rows(data)
    elif name.endswith(".xls"):
        raise FileRefused("不支持旧版 .xls 文件,请在 Excel 中另存为 .xlsx 或 CSV。", {"file": ["格式不支持"]})
    else:
        rows = csv.reader(io.StringIO(_decode(data)), delimiter=_delimiter(data))
    return _with_header(rows)


def _decode(data):
    """UTF-8 (with or without BOM), else GB18030 — what Excel in China saves "CSV" as (GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("无法识别文件编码,请另存为“CSV UTF-8”。", {"file": ["编码无法识别"]})


def _delimiter(data):
    first_line = data.split(b"\n", 1)[0]
    return "\t" if b"\t" in first_line and b"," not in first_line else ","


def _xlsx_rows(data):
    from openpyxl import load_workbook

    unreadable = FileRefused("无法读取该 XLSX 文件,请确认是 Excel 2007 及以后的格式。", {"file": ["无法读取"]})
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as error:
        raise unreadable from error
    try:
        sheet = workbook["价目表"] if "价目表" in workbook.sheetnames else workbook.worksheets[0]
        # Read lazily and stop early: a huge sheet is refused after MAX_ROWS, not loaded whole.
        yield from sheet.iter_rows(max_col=len(COLUMNS) * 3, values_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        raise unreadable from error
    finally:
        workbook.close()


def _with_header(rows):
    header, found = None, []
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(value) for value in row]
        if not any(cells):
            continue
        if header is None:
            header = _header(cells)
            continue
        if len(found) == MAX_ROWS:
            raise FileRefused(f"文件超过 {MAX_ROWS} 行,请分成几个文件导入。", {"file": ["行数过多"]})
        # A column the header lacks is left out, not blank: the import keeps what the item had.
        found.append((number, {field: cells[i] if i < len(cells) else "" for field, i in header.items()}))
    if header is None:
        raise FileRefused("文件是空的。", {"file": ["没有内容"]})
    return found


def _header(cells):
    positions = {}
    for i, cell in enumerate(cells):
        label = re.split(r"[((]", cell.replace(" ", ""))[0]
        if label in BY_LABEL:
            if BY_LABEL[label] in positions:
                raise FileRefused(f"表头“{label}”出现了两次。", {"file": ["表头重复"]})
            positions[BY_LABEL[label]] = i
    missing = [LABELS[field] for field in REQUIRED_COLUMNS if field not in positions]
    if missing:
        expected = "、".join(heading for _field, heading in COLUMNS)
        raise FileRefused(f"第一行须为表头,缺少:{'、'.join(missing)}。表头应为:{expected}。",
                          {"file": ["缺少表头"]})
    return positions


# ---- out ----

def item_rows(version):
    for item in version.items_in_order:
        yield [item.code, item.name, item.specification, item.unit, CATEGORIES[item.category],
               yuan_text(item.price_fen), "是" if item.is_basic_labour_fee else "否", item.after_sales,
               item.warranty_months, item.material_code, item.material_quantity if item.material else ""]


def to_csv(version):
    """UTF-8 with a BOM, so that Excel opens it without garbling the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _field, heading in COLUMNS])
    for row in item_rows(version):
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(version):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "价目表"
    sheet.append([heading for _field, heading in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(item_rows(version), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if column == 6:
                cell.value, cell.number_format = Decimal(value), "0.00"
            else:
                put_value(cell, value)
    for letter, width in zip("ABCDEFGHI", (14, 24, 20, 8, 8, 12, 12, 36, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
