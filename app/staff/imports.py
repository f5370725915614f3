"""Staff from a spreadsheet (XLSX or CSV, UTF-8 or GBK): one person a row — 工号, 用户名, 姓名, 角色, 电话,
分公司, 片区 — each created as on the 人员 page, with a first password shown once. A dry run checks every row
and keeps nothing; the import keeps the good rows and lists the others with why."""
import shutil
import tempfile
from dataclasses import dataclass, field

from app.auth.models import ROLES
from app.branches.models import Area, Branch
from app.errors import ValidationFailed
from app.extensions import db
from app.imports import reader
from app.staff import services

HEADINGS = {"工号": "badge_number", "用户名": "username", "姓名": "name", "角色": "role", "电话": "phone",
            "分公司": "branch", "片区": "areas"}
ROLE_NAMES = {**{label: code for code, label in ROLES.items()}, **{code: code for code in ROLES}}
MAX_ROWS = 2000


@dataclass
class StaffReport:
    dry_run: bool
    created: list = field(default_factory=list)  # (row, user, first password)
    rejected: list = field(default_factory=list)  # (row, reason)


def import_staff(actor, filename, stream, dry_run=False):
    """:raise FileRefused: the file as a whole; rows are reported one by one."""
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        shutil.copyfileobj(stream, copy, 1 << 20)
        copy.flush()
        with open(copy.name, "rb") as head:
            kind = reader.kind_of(filename, head.read(4))
        if kind == "xlsx":
            reader.check_zip(copy.name)
        encoding = reader.detect_encoding(copy.name) if kind == "csv" else None
        source = reader.rows(copy.name, kind, encoding)
        header = None
        report = StaffReport(dry_run=dry_run)
        for number, cells, _done in source:
            if header is None:
                header = {HEADINGS[h]: i for i, h in enumerate(map(reader.normalised, cells)) if h in HEADINGS}
                _check_header(header)
                continue
            if len(report.created) + len(report.rejected) == MAX_ROWS:
                raise reader.FileRefused(f"超过 {MAX_ROWS} 行,请分成几个文件导入。", {"file": ["行数过多"]})
            _one(actor, number, {f: (cells[i] if i < len(cells) else "") for f, i in header.items()}, report)
    if header is None:
        raise reader.FileRefused("文件是空的。", {"file": ["没有内容"]})
    if dry_run:
        db.session.rollback()
    return report


def _check_header(header):
    missing = [h for h, f in HEADINGS.items() if f in ("name", "role") and f not in header]
    if missing:
        raise reader.FileRefused(f"第一行须为表头,缺少:{'、'.join(missing)}。表头:{'、'.join(HEADINGS)}。",
                                 {"file": ["缺少表头"]})


def _one(actor, number, given, report):
    try:
        data = _data(given)
        with db.session.begin_nested():
            user, password = services.create(actor, data)
    except ValidationFailed as error:
        reasons = ";".join(f"{_label(k)}:{'、'.join(v)}" for k, v in error.fields.items()) or error.message
        report.rejected.append((number, reasons))
        return
    report.created.append((number, user, password))


def _data(given):
    role = ROLE_NAMES.get(given.get("role", "").strip())
    if role is None:
        raise ValidationFailed("角色不对。", {"role": [f"须为 {'、'.join(ROLES.values())} 之一"]})
    branch = None
    if given.get("branch"):
        text = given["branch"].strip()
        branch = db.session.execute(db.select(Branch).where((Branch.code == text.upper()) | (Branch.name == text))
                                    ).scalar_one_or_none()
        if branch is None:
            raise ValidationFailed("没有这个分公司。", {"branch_id": [f"没有分公司“{text}”"]})
    names = [n.strip() for n in given.get("areas", "").replace(",", ",").replace("、", ",").split(",") if n.strip()]
    areas = db.session.execute(db.select(Area).where(Area.name.in_(names))).scalars().all() if names else []
    unknown = sorted(set(names) - {a.name for a in areas})
    if unknown:
        raise ValidationFailed("没有这些片区。", {"area_ids": [f"没有片区:{'、'.join(unknown)}"]})
    from app.schemas import load_form
    from app.staff.schemas import StaffIn

    return load_form(StaffIn(), {"username": given.get("username", ""), "name": given.get("name", ""), "role": role,
                                 "phone": given.get("phone", ""), "badge_number": given.get("badge_number", ""),
                                 "branch_id": str(branch.id) if branch else "", "area_ids": [str(a.id) for a in areas]})


LABELS = {"badge_number": "工号", "username": "用户名", "name": "姓名", "role": "角色", "phone": "电话",
          "branch_id": "分公司", "area_ids": "片区"}


def _label(key):
    return LABELS.get(key, key)
