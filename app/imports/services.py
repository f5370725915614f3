"""Importing households from a billing system's export (issue 10): upload → map the columns once (remembered)
→ a dry run that reads the file as it streams, checks every row and fills a staging table with what it
would do → the import, which applies the staging rows set-based in ONE transaction: all of it or nothing.

The dry run and the import run as background jobs (app/jobs.py) that report progress on the import's row;
the page polls it and survives a reload."""
import secrets
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import func, insert, literal, select, update

from app.audit.models import AuditEvent
from app.audit.services import record
from app.branches.models import Area, Estate
from app.branches.services import save_estate
from app.errors import Conflict, NotFound, RuleBroken
from app.extensions import db
from app.files.storage import storage
from app.households.models import Household
from app.imports import reader
from app.imports.models import (
    ADD,
    CHECKED,
    CHECKING,
    FAILED,
    IMPORTED,
    IMPORTING,
    REJECT,
    RUNNING,
    SAME,
    UPDATE,
    UPLOADED,
    ColumnName,
    HouseholdImport,
    ImportRow,
)
from app.imports.rows import cells_of, checked, outcome
from app.localtime import now_utc
from app.locks import lock_row

BATCH = 2000
STALE_SECONDS = 120


def get(import_id):
    found = db.session.get(HouseholdImport, import_id)
    if found is None:
        raise NotFound("没有这次导入。")
    return found


def recent(limit=10):
    return db.session.execute(
        db.select(HouseholdImport).order_by(HouseholdImport.id.desc()).limit(limit)).scalars().all()


def upload(actor, filename, stream):
    """Keep the file (copied as it streams) and read its header. :raise FileRefused: not a file we read."""
    key = f"imports/{secrets.token_hex(16)}"
    with tempfile.NamedTemporaryFile(prefix="shifu-import-") as copy:
        shutil.copyfileobj(stream, copy, 1 << 20)
        copy.flush()
        path = Path(copy.name)
        with open(path, "rb") as head:
            kind = reader.kind_of(filename, head.read(4))
        if kind == "xlsx":
            reader.check_zip(path)
        encoding = reader.detect_encoding(path) if kind == "csv" else None
        headers = reader.header_of(path, kind, encoding)
        size = path.stat().st_size
        copy.seek(0)
        storage().save_stream(key, copy)  # kept where every app server (and the job's worker) reads it
    remembered = dict(db.session.execute(db.select(ColumnName.heading, ColumnName.field)).all())
    found = HouseholdImport(filename=(filename or "文件")[:200], file_key=key, size=size, kind=kind,
                            encoding=encoding, headers=headers, created_by_id=actor.id,
                            mapping=reader.proposed_mapping(headers, remembered))
    db.session.add(found)
    db.session.flush()
    record(actor, "household_import", found.id, "upload", filename=found.filename, size=found.size, kind=kind,
           encoding=encoding)
    return found


def set_mapping(actor, found, mapping):
    """field → column index, checked, remembered by heading for the next file; starts (again) the dry run —
    also of an import whose job stopped with its worker. :raise RuleBroken."""
    found = _locked(found)
    if not stalled(found):
        _require(found, (UPLOADED, CHECKED, FAILED))
    problems = {}
    for field in reader.REQUIRED:
        if mapping.get(field) is None:
            problems[field] = [f"请选择“{reader.FIELDS[field][0]}”所在的列"]
    used = [index for index in mapping.values() if index is not None]
    if len(used) != len(set(used)):
        problems["mapping"] = ["一列只能对应一项"]
    if any(not 0 <= index < len(found.headers) for index in used):
        problems["mapping"] = ["没有这一列"]
    if problems:
        raise RuleBroken("列的对应有误。", problems)
    found.mapping = {field: index for field, index in mapping.items() if index is not None}
    for field, index in found.mapping.items():
        heading = reader.normalised(found.headers[index])[:64]
        if heading and heading != reader.FIELDS[field][0]:
            row = db.session.execute(db.select(ColumnName).filter_by(heading=heading)).scalar_one_or_none()
            db.session.add(row or ColumnName(heading=heading, field=field))
            if row is not None:
                row.field = field
    found.status, found.progress, found.error = CHECKING, 0, None
    found.heartbeat_at = now_utc()
    db.session.flush()
    record(actor, "household_import", found.id, "check", mapping=found.mapping)
    return found


def _locked(found):
    """The import row, locked and read again (PostgreSQL; SQLite's writers are already one at a time)."""
    return lock_row(HouseholdImport, found.id)


def _require(found, statuses):
    if found.status not in statuses:
        raise Conflict("这次导入正在进行或已完成。", code="import_busy")


# ---- the dry run (a job) ----

def run_check(import_id):
    """The dry run as a job: a file that turns out unreadable half-way fails the import, with the reason."""
    try:
        check(import_id)
    except Exception as error:
        db.session.rollback()
        found = get(import_id)
        message = getattr(error, "message", None) or f"预检失败:{error}"
        found.status, found.error, found.finished_at = FAILED, message[:2000], now_utc()
        db.session.commit()
        if not isinstance(error, reader.FileRefused):
            raise


def check(import_id):
    """Read every row, check it, and stage what the import would do. Commits per batch (progress)."""
    found = get(import_id)
    db.session.execute(db.delete(ImportRow).where(ImportRow.import_id == found.id))
    estates = dict(db.session.execute(db.select(Estate.name, Estate.id).where(Estate.active.is_(True))).all())
    counts = {ADD: 0, UPDATE: 0, SAME: 0, REJECT: 0}
    unknown, seen, batch = {}, {}, []
    with storage().local_copy(found.file_key) as path:
        source = reader.rows(path, found.kind, found.encoding)
        next(source)  # the header
        for number, cells, done in source:
            given = cells_of(cells, found.mapping)
            batch.append((number, given))
            if len(batch) == BATCH:
                _stage(found, batch, estates, seen, counts, unknown)
                _progress(found, done)
                batch = []
    _stage(found, batch, estates, seen, counts, unknown)
    found.rows = sum(counts.values())
    found.added, found.updated, found.unchanged = counts[ADD], counts[UPDATE], counts[SAME]
    found.rejected = counts[REJECT]
    found.unknown_estates = unknown
    found.status, found.progress, found.finished_at = CHECKED, 1000, now_utc()
    db.session.commit()


def _stage(found, batch, estates, seen, counts, unknown):
    staged = []
    checked_rows = [(number, *checked(number, given, estates, seen), given) for number, given in batch]
    accounts = [values["account_number"] for _n, values, problems, _g in checked_rows if not problems]
    existing = {h.account_number: h for h in db.session.execute(
        db.select(Household).where(Household.account_number.in_(accounts))).scalars()} if accounts else {}
    for _number, values, problems, given in checked_rows:
        if problems:
            values.update(outcome=REJECT, reason=";".join(problems))
        else:
            values.update(outcome=outcome(values, existing.get(values["account_number"])), reason=None)
            if values["estate_id"] is None:
                entry = unknown.setdefault(values["estate_name"], {"rows": 0, "area": given.get("area", "")})
                entry["rows"] += 1
        counts[values["outcome"]] += 1
        staged.append({**values, "import_id": found.id})
    if staged:
        db.session.execute(insert(ImportRow), staged)


def _progress(found, done):
    found.progress = min(999, int(done * 1000))
    found.heartbeat_at = now_utc()
    db.session.commit()


# ---- the import (a job) ----

def choose_new_estates(actor, found, chosen):
    """Which unknown estates to create, under which area: {name: area_id}; the rest stay rejected. Two
    clicks (or two admins) at once: the second finds the import already importing (409), never a second job."""
    found = _locked(found)
    _require(found, (CHECKED,))
    areas = {a.id: a for a in db.session.execute(db.select(Area).where(Area.active.is_(True))).scalars()}
    wrong = [name for name, area_id in chosen.items() if name not in found.unknown_estates or area_id not in areas]
    if wrong:
        raise RuleBroken("请为新小区选择在用的片区。", {"estates": wrong})
    found.status, found.progress, found.error, found.heartbeat_at = IMPORTING, 0, None, now_utc()
    db.session.flush()
    record(actor, "household_import", found.id, "import", new_estates=chosen)
    return {name: area_id for name, area_id in chosen.items()}


def apply(import_id, actor_id, new_estates):
    """Create the chosen estates, then add and update households from the staging rows — one transaction:
    if anything fails, nothing of it is kept and the import says why."""
    from app.auth.models import User

    found = get(import_id)
    actor = db.session.get(User, actor_id)
    try:
        for name, area_id in sorted(new_estates.items()):
            save_estate(actor, db.session.get(Area, area_id), name)
        _resolve_estates(found)
        _promote_taken_accounts(found)
        added, updated = _count_ready(found, ADD), _count_ready(found, UPDATE)
        _insert_households(found)
        _update_households(found)
        _record_in_each_history(found, actor)
        found.added, found.updated = added, updated
        found.rejected = _count(found, REJECT) + _count_unresolved(found)
        found.status, found.progress, found.finished_at = IMPORTED, 1000, now_utc()
        record(actor, "household_import", found.id, "imported", added=added, updated=updated,
               new_estates=sorted(new_estates))
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - any failure: roll back all of it and say so on the page
        db.session.rollback()
        found = get(import_id)
        found.status, found.error, found.finished_at = FAILED, f"导入失败,未做任何改动:{error}"[:2000], now_utc()
        db.session.commit()
        raise


def _resolve_estates(found):
    """Rows whose estate was unknown at the dry run: the estates just created (or since) by name."""
    estate_id = select(Estate.id).where(Estate.name == ImportRow.estate_name).scalar_subquery()
    db.session.execute(update(ImportRow).where(ImportRow.import_id == found.id, ImportRow.estate_id.is_(None),
                                               ImportRow.outcome != REJECT).values(estate_id=estate_id)
                       .execution_options(synchronize_session=False))


def _promote_taken_accounts(found):
    """A 户号 created at the desk since the dry run: update it rather than fail on a duplicate."""
    taken = select(Household.account_number)
    db.session.execute(update(ImportRow).where(ImportRow.import_id == found.id, ImportRow.outcome == ADD,
                                               ImportRow.account_number.in_(taken)).values(outcome=UPDATE)
                       .execution_options(synchronize_session=False))


def _ready(found, wanted):
    return (ImportRow.import_id == found.id, ImportRow.outcome == wanted, ImportRow.estate_id.is_not(None))


COLUMNS = ("account_number", "name", "phone", "estate_id", "building", "unit", "room", "floor_area_centi", "note")


def _insert_households(found):
    now = literal(now_utc(), Household.__table__.c.created_at.type)
    rows = select(*(getattr(ImportRow, c) for c in COLUMNS), now.label("created_at")) \
        .where(*_ready(found, ADD)).order_by(ImportRow.row_number)
    db.session.execute(insert(Household.__table__).from_select([*COLUMNS, "created_at"], rows))


def _update_households(found):
    staged = ImportRow.__table__
    values = {column: staged.c[column] for column in COLUMNS if column != "account_number"}
    db.session.execute(
        update(Household).where(Household.account_number == staged.c.account_number, *_ready(found, UPDATE))
        .values(**values, updated_at=now_utc()).execution_options(synchronize_session=False))


def _record_in_each_history(found, actor):
    """One audit row per household added or updated, set-based: its file's history says it came from here."""
    data = literal({"import_id": found.id, "filename": found.filename}, AuditEvent.__table__.c.data.type)
    rows = select(literal(now_utc(), AuditEvent.__table__.c.at.type), literal(actor.id), literal("household"),
                  Household.id, literal("import"), data) \
        .join(ImportRow, (ImportRow.account_number == Household.account_number) & (ImportRow.import_id == found.id)) \
        .where(ImportRow.outcome.in_((ADD, UPDATE)), ImportRow.estate_id.is_not(None))
    db.session.execute(insert(AuditEvent.__table__).from_select(
        ["at", "actor_id", "entity", "entity_id", "action", "data"], rows))


def _count_ready(found, wanted):
    return db.session.execute(db.select(func.count()).select_from(ImportRow).where(*_ready(found, wanted))).scalar_one()


def _count(found, wanted):
    return db.session.execute(db.select(func.count()).select_from(ImportRow)
                              .where(ImportRow.import_id == found.id, ImportRow.outcome == wanted)).scalar_one()


def _count_unresolved(found):
    return db.session.execute(db.select(func.count()).select_from(ImportRow).where(
        ImportRow.import_id == found.id, ImportRow.outcome.in_((ADD, UPDATE)), ImportRow.estate_id.is_(None))
    ).scalar_one()


def stalled(found):
    """A job whose worker stopped (restarted, killed) leaves its import running with no heartbeat."""
    return found.status in RUNNING and (now_utc() - found.heartbeat_at).total_seconds() > STALE_SECONDS


def rejected_rows(found, limit=200):
    return db.session.execute(db.select(ImportRow).where(ImportRow.import_id == found.id,
                                                         ImportRow.outcome == REJECT)
                              .order_by(ImportRow.row_number).limit(limit)).scalars().all()


def report_rows(found, chunk=1000):
    """Every staged row in file order, for the downloadable report: a query per thousand rows after the last
    row number, so a download streamed after the request holds no cursor open."""
    after = 0
    while True:
        rows = db.session.execute(db.select(ImportRow).where(ImportRow.import_id == found.id,
                                                             ImportRow.row_number > after)
                                  .order_by(ImportRow.row_number).limit(chunk)).scalars().all()
        yield from rows
        if len(rows) < chunk:
            return
        after = rows[-1].row_number
