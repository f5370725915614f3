"""Importing a price list file into a draft, row by row.

Good rows are added (new code) or update the draft's item with that code; items the file does not
mention stay. Bad rows are left out and each is reported with its row, column and reason. A dry run
(预检) reports the same and changes nothing.
"""
from dataclasses import dataclass, field

from marshmallow import ValidationError

from app.audit.services import record
from app.extensions import db
from app.price_list import services
from app.price_list.models import CATEGORIES, PriceItem
from app.price_list.schemas import PriceItemIn
from app.price_list.sheets import LABELS, read_rows

CATEGORY_CODES = {**{label: code for code, label in CATEGORIES.items()}, **{code: code for code in CATEGORIES}}
YES, NO = ("是", "Y", "YES", "1", "TRUE", "√"), ("否", "N", "NO", "0", "FALSE", "")
WHOLE_ROW = "整行"
# A file of before these columns keeps the item's terms and its material.
KEPT_WHEN_ABSENT = ("after_sales", "warranty_months", "material_code", "material_quantity")


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str
    value: str = ""

    @property
    def message(self):
        shown = f" '{self.value}'" if self.value else ""
        return f"第 {self.row} 行 {self.column}:{self.reason}{shown}"


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def rejected_rows(self):
        return len({rejection.row for rejection in self.rejected})

    @property
    def summary(self):
        done = "预检(未保存):可" if self.dry_run else "已"
        return (f"{self.filename} 共 {self.rows} 行:{done}新增 {len(self.added)} 项、更新 {len(self.updated)} 项,"
                f"{len(self.unchanged)} 项无变化;拒绝 {self.rejected_rows} 行。")


def import_file(actor, version, filename, data, dry_run=False):
    """:raise 409: the version is published; :raise 422: the file as a whole cannot be read."""
    services.require_draft(version)
    rows = read_rows(filename, data)
    report = ImportReport(filename=filename or "文件", dry_run=dry_run, rows=len(rows))
    accepted = _accepted_rows(version, rows, report)
    _plan(version, accepted, report)
    if not dry_run and accepted:
        _apply(version, accepted)
        record(actor, "price_list_version", version.id, "import", filename=report.filename,
               added=len(report.added), updated=len(report.updated), rejected=report.rejected_rows)
    return report


def _accepted_rows(version, rows, report):
    by_code = {item.code: item for item in version.items}
    seen, basic_row, accepted = {}, None, []
    for number, raw in rows:
        code = raw["code"].strip().upper()
        data, problems = _row_data(version, raw, by_code.get(code))
        if code in seen:
            problems.append(("code", f"编码与第 {seen[code]} 行重复", raw["code"]))
        if data and data["is_basic_labour_fee"] and basic_row is not None:
            problems.append(("is_basic_labour_fee", f"基本人工费只能有一项,第 {basic_row} 行已是", ""))
        seen.setdefault(code, number)
        if problems:
            report.rejected += [Rejection(number, LABELS.get(name, WHOLE_ROW), why, value)
                                for name, why, value in problems]
            continue
        basic_row = number if data["is_basic_labour_fee"] else basic_row
        accepted.append(data)
    return accepted


def _row_data(version, raw, existing):
    """(data, problems) with problems as (field, reason, value); data is None when a field is malformed."""
    category = CATEGORY_CODES.get(raw["category"].strip().lower(), raw["category"])
    flag = raw.get("is_basic_labour_fee", "").strip().upper()
    problems = []
    if raw["category"] and category not in CATEGORIES:
        problems.append(("category", "未知类别,应为 " + "、".join(CATEGORIES.values()), raw["category"]))
    if flag not in YES + NO:
        problems.append(("is_basic_labour_fee", "须填“是”或“否”", raw["is_basic_labour_fee"]))
    given = {**raw, "category": category, "is_basic_labour_fee": flag in YES}
    for name in KEPT_WHEN_ABSENT:
        if name not in raw and existing is not None:
            given[name] = getattr(existing, name)
    try:
        data = PriceItemIn().load({k: v for k, v in given.items() if v != ""}, unknown="exclude")
    except ValidationError as error:
        reported = {problem[0] for problem in problems}
        return None, problems + [problem for problem in _problems(error.messages, raw) if problem[0] not in reported]
    return data, problems + _problems(services.item_problems(version, data, existing), raw)


def _problems(messages, raw):
    fields = {name: "price" if name == "price_fen" else name for name in messages}
    return [(fields[name], "、".join(reasons), raw.get(fields[name], "")) for name, reasons in messages.items()]


def _plan(version, accepted, report):
    by_code = {item.code: item for item in version.items}
    for data in accepted:
        existing = by_code.get(data["code"])
        if existing is None:
            report.added.append(data["code"])
        elif any(getattr(existing, name) != data[name] for name in services.ITEM_FIELDS):
            report.updated.append(data["code"])
        else:
            report.unchanged.append(data["code"])
    marked = next((data["code"] for data in accepted if data["is_basic_labour_fee"]), None)
    current = version.basic_labour_fee
    if marked and current is not None and current.code != marked:
        report.notes.append(f"基本人工费由 {current.code}“{current.name}”改为 {marked}。")


def _apply(version, accepted):
    by_code = {item.code: item for item in version.items}
    marked = next((data["code"] for data in accepted if data["is_basic_labour_fee"]), None)
    if marked:
        services.take_basic_labour_fee(version, keep=by_code.get(marked))
    for data in accepted:
        item = by_code.get(data["code"])
        if item is None:
            item = PriceItem()
            version.items.append(item)
        for name in services.ITEM_FIELDS:
            setattr(item, name, data[name])
    db.session.flush()
