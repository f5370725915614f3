"""Reading a billing system's export as it streams: CSV in UTF-8 (with or without BOM) or GBK/GB18030 (what
Chinese Excel writes — detected, never shown as mojibake), or XLSX read row by row; nothing is loaded whole.
A zip bomb is refused before it is opened. Every cell comes back as text; a formula is never evaluated."""
import codecs
import csv
import io
import re
import zipfile

from app.spreadsheets import FileRefused, cell_text

# field → (label, required, the headings that mean it before any company's own are remembered)
FIELDS = {
    "account_number": ("户号", True, ("户号", "用户编号", "用户号", "客户编号", "客户号", "热用户编号", "供热户号")),
    "name": ("姓名", True, ("姓名", "户名", "用户名称", "用户姓名", "客户姓名", "客户名称", "户主")),
    "phone": ("电话", True, ("电话", "联系电话", "手机", "手机号", "手机号码", "电话号码")),
    "estate": ("小区", True, ("小区", "小区名称", "小区名", "社区")),
    "building": ("楼号", True, ("楼号", "楼栋", "栋号", "楼栋号", "楼")),
    "unit": ("单元", True, ("单元", "单元号")),
    "room": ("室", True, ("室", "房号", "室号", "门牌号", "房间号", "户室号")),
    "floor_area": ("面积", False, ("面积", "供热面积", "建筑面积", "收费面积")),
    "area": ("片区", False, ("片区", "片区名称")),
    "note": ("备注", False, ("备注", "说明")),
}
REQUIRED = [field for field, (_label, required, _names) in FIELDS.items() if required]
MAX_UNZIPPED = 200 * 1024 * 1024  # a 100,000-row sheet unzips to ~30 MB
MAX_RATIO = 100  # XML compresses well, but not a thousandfold
MAX_COLUMNS = 100


def kind_of(filename, head):
    name = (filename or "").lower()
    if name.endswith(".xlsx") or head[:2] == b"PK":
        return "xlsx"
    if name.endswith(".xls"):
        raise FileRefused("不支持旧版 .xls 文件,请在 Excel 中另存为 .xlsx 或 CSV。", {"file": ["格式不支持"]})
    return "csv"


def check_zip(path):
    """An XLSX is a zip: refuse one that would unzip to far more than any sheet of households."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FileRefused("无法读取该 XLSX 文件,请确认是 Excel 2007 及以后的格式。", {"file": ["无法读取"]}) from error
    unzipped = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise FileRefused("文件解压后过大,不像是热用户表,未读取。", {"file": ["解压后过大"]})


def detect_encoding(path, chunk=1 << 20):
    """UTF-8 if the whole file decodes as UTF-8 (read a megabyte at a time), else GB18030 (a superset of GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as stream:
        while block := stream.read(chunk):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return "gb18030"
    return "utf-8"


def rows(path, kind, encoding=None):
    """(row number as the spreadsheet shows it, [cell text], fraction of the file read) for each non-blank row."""
    source = _xlsx_rows(path) if kind == "xlsx" else _csv_rows(path, encoding)
    for number, cells, done in source:
        texts = [cell_text(value) for value in cells]
        if any(texts):
            yield number, texts, done


def _csv_rows(path, encoding):
    raw = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is exhausted or closed
    try:
        size = max(1, raw.seek(0, io.SEEK_END))
        raw.seek(0)
        first = raw.readline()
        raw.seek(0)
        delimiter = "\t" if b"\t" in first and b"," not in first else ","
        text = io.TextIOWrapper(raw, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")
        for number, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, cells, raw.tell() / size
    except UnicodeDecodeError as error:
        raise FileRefused("无法识别文件编码,请另存为“CSV UTF-8”。", {"file": ["编码无法识别"]}) from error
    finally:
        raw.close()


def _xlsx_rows(path):
    from openpyxl import load_workbook

    unreadable = FileRefused("无法读取该 XLSX 文件,请确认是 Excel 2007 及以后的格式。", {"file": ["无法读取"]})
    stream = open(path, "rb")  # noqa: SIM115 - a file object: openpyxl judges a path by its extension
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as error:
        stream.close()
        raise unreadable from error
    try:
        sheet = workbook.worksheets[0]
        total = max(1, sheet.max_row or 1)
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, cells, min(1.0, number / total)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        raise unreadable from error
    finally:
        workbook.close()
        stream.close()


def header_of(path, kind, encoding):
    """The first non-blank row: the headings (the first hundred, each as much as a heading can be).
    :raise FileRefused: an empty file."""
    source = rows(path, kind, encoding)
    try:
        for _number, cells, _done in source:
            return [cell[:64] for cell in cells[:MAX_COLUMNS]]
    finally:
        source.close()
    raise FileRefused("文件是空的。", {"file": ["没有内容"]})


def normalised(heading):
    """"用户编号(必填)" and "用户编号" are the same heading."""
    return re.split(r"[((]", heading.replace(" ", ""))[0]


def proposed_mapping(headers, remembered):
    """field → column index: a heading remembered for the company first, then the usual names."""
    mapping = {}
    for index, heading in enumerate(headers):
        key = normalised(heading)
        field = remembered.get(key) or next((f for f, (_l, _r, names) in FIELDS.items() if key in names), None)
        if field and field not in mapping:
            mapping[field] = index
    return mapping
