"""The material catalogue (材料目录): what the branches buy, keep and issue (001 四.10), kept by an admin (every
branch's) or a branch's storekeeper (their own branch's), and imported or exported as a spreadsheet in
the same columns."""
import shutil
import tempfile
from dataclasses import dataclass, field

from marshmallow import ValidationError

from app.audit.services import record
from app.branches.models import Branch
from app.errors import Forbidden, RuleBroken, ValidationFailed
from app.extensions import db
from app.imports import reader
from app.materials.models import Material, StockLevel, StockLocation
from app.materials.schemas import MaterialForm
from app.materials.services import units_text
from app.price_list.money import yuan_text
from app.spreadsheets import FileRefused, table_workbook

FIELDS = ("code", "name", "specification", "unit", "whole_units", "cost_fen", "min_stock_centi", "branch_id",
          "active")
# (heading, field as the form names it)
COLUMNS = (("编码", "code"), ("名称", "name"), ("规格", "specification"), ("单位", "unit"),
           ("整数计量", "whole_units"), ("成本价(元)", "cost"), ("最低库存", "min_stock"), ("分公司", "branch"),
           ("在用", "active"))
HEADINGS = {reader.normalised(heading): name for heading, name in COLUMNS}
YES, NO = ("是", "Y", "YES", "1", "TRUE", "√"), ("否", "N", "NO", "0", "FALSE")
MAX_ROWS = 5000


def may_edit(actor, branch_id):
    """:raise Forbidden: anyone but an admin; a storekeeper for another branch's (or every branch's) material."""
    if actor.role == "admin" or (actor.role == "storekeeper" and branch_id is not None
                                 and branch_id == actor.branch_id):
        return
    raise Forbidden("材料目录由管理员维护;库管员只能维护本分公司自己的材料。")


def save(actor, data, material=None):
    """A new material, or changes to one. `data`: MaterialIn as loaded.

    :raise Forbidden: see may_edit. :raise RuleBroken: a code taken, an unknown branch, whole units for a
    material whose books hold fractions."""
    if actor.role == "storekeeper":  # their own branch's materials only, whatever the form says
        data = {**data, "branch_id": actor.branch_id}
    may_edit(actor, data["branch_id"])
    if material is not None:
        may_edit(actor, material.branch_id)
    _check(data, material)
    if material is None:
        material = Material()
        db.session.add(material)
    before = {name: getattr(material, name) for name in FIELDS}
    for name in FIELDS:
        setattr(material, name, data[name])
    db.session.flush()
    record(actor, "material", material.id, "save", before=before if before["code"] else None,
           code=material.code, cost_fen=material.cost_fen)
    return material


def _check(data, material):
    problems = {}
    taken = db.session.execute(db.select(Material.id).filter_by(code=data["code"])).scalar()
    if taken is not None and (material is None or taken != material.id):
        problems["code"] = [f"编码 {data['code']} 已被使用"]
    if data["branch_id"] is not None and db.session.get(Branch, data["branch_id"]) is None:
        problems["branch_id"] = ["没有这个分公司"]
    if data["whole_units"] and data["min_stock_centi"] % 100:
        problems["min_stock"] = ["整数计量的材料,最低库存须为整数"]
    if data["whole_units"] and material is not None and _holds_fractions(material):
        problems["whole_units"] = ["账上还有不足一个单位的数量,不能改为整数计量"]
    if material is not None and data["branch_id"] not in (None, material.branch_id) and _held_elsewhere(
            material, data["branch_id"]):
        problems["branch_id"] = ["其他分公司还有这种材料的库存"]
    if problems:
        raise RuleBroken("请检查标红的内容。", problems)


def _holds_fractions(material):
    return db.session.execute(db.select(StockLevel.material_id).where(
        StockLevel.material_id == material.id, StockLevel.on_hand_centi % 100 != 0).limit(1)).first() is not None


def _held_elsewhere(material, branch_id):
    return db.session.execute(
        db.select(StockLevel.material_id).join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLevel.material_id == material.id, StockLevel.on_hand_centi != 0,
               StockLocation.branch_id != branch_id).limit(1)).first() is not None


# ---- spreadsheets ----

@dataclass
class CatalogueReport:
    dry_run: bool
    added: list = field(default_factory=list)  # codes
    updated: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (row, reason)


def import_file(actor, filename, stream, dry_run=False):
    """Rows added (a new code) or updating the material with that code; bad rows listed with why.

    :raise FileRefused: the file as a whole (not a spreadsheet, no header, too many rows)."""
    report = CatalogueReport(dry_run=dry_run)
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        shutil.copyfileobj(stream, copy, 1 << 20)
        copy.flush()
        with open(copy.name, "rb") as head:
            kind = reader.kind_of(filename, head.read(4))
        if kind == "xlsx":
            reader.check_zip(copy.name)
        encoding = reader.detect_encoding(copy.name) if kind == "csv" else None
        header = None
        for number, cells, _done in reader.rows(copy.name, kind, encoding):
            if header is None:
                header = _header(cells)
                continue
            if len(report.added) + len(report.updated) + len(report.rejected) == MAX_ROWS:
                raise FileRefused(f"超过 {MAX_ROWS} 行,请分成几个文件导入。", {"file": ["行数过多"]})
            given = {name: (cells[i] if i < len(cells) else "") for name, i in header.items()}
            if any(value.strip() for value in given.values()):
                _one(actor, number, given, report)
    if header is None:
        raise FileRefused("文件是空的。", {"file": ["没有内容"]})
    if dry_run:
        db.session.rollback()
    return report


def _header(cells):
    header = {HEADINGS[h]: i for i, h in enumerate(map(reader.normalised, cells)) if h in HEADINGS}
    missing = [heading for heading, name in COLUMNS if name in ("code", "name", "unit", "cost") and name not in header]
    if missing:
        raise FileRefused(f"第一行须为表头,缺少:{'、'.join(missing)}。表头:{'、'.join(h for h, _ in COLUMNS)}。",
                          {"file": ["缺少表头"]})
    return header


def _one(actor, number, given, report):
    try:
        data = _row_data(given)
        existing = db.session.execute(db.select(Material).filter_by(code=data["code"])).scalar_one_or_none()
        with db.session.begin_nested():
            save(actor, data, existing)
    except (ValidationFailed, Forbidden) as error:
        reasons = ";".join(f"{_label(k)}:{'、'.join(v)}" for k, v in error.fields.items()) or error.message
        report.rejected.append((number, reasons))
        return
    (report.updated if existing is not None else report.added).append(data["code"])


def _row_data(given):
    problems = {}
    form = {name: value.strip() for name, value in given.items() if name != "branch" and value.strip()}
    for flag in ("whole_units", "active"):
        if flag in form:
            if form[flag].upper() not in YES + NO:
                problems[flag] = ["须填“是”或“否”"]
            form[flag] = form[flag].upper() in YES
    branch_text = given.get("branch", "").strip()
    if branch_text:
        branch = db.session.execute(db.select(Branch).where(
            (Branch.code == branch_text.upper()) | (Branch.name == branch_text))).scalar_one_or_none()
        if branch is None:
            problems["branch"] = [f"没有分公司“{branch_text}”"]
        else:
            form["branch_id"] = branch.id
    try:
        data = MaterialForm().load(form, unknown="exclude")
    except ValidationError as error:
        problems.update(error.messages)
    if problems:
        raise ValidationFailed("行内容有误。", problems)
    return data


LABELS = {**{name: heading for heading, name in COLUMNS}, "cost_fen": "成本价", "min_stock_centi": "最低库存",
          "branch_id": "分公司", "whole_units": "整数计量"}


def _label(key):
    return LABELS.get(key, key)


def workbook(materials):
    """The catalogue in the import's own columns: an export edited and imported again changes only the edits."""
    rows = ([m.code, m.name, m.specification, m.unit, "是" if m.whole_units else "否", yuan_text(m.cost_fen),
             units_text(m.min_stock_centi), m.branch.code if m.branch else "", "是" if m.active else "否"]
            for m in materials)
    return table_workbook("材料目录", [heading for heading, _name in COLUMNS], rows,
                          widths=(14, 20, 14, 6, 9, 11, 9, 9, 6))
