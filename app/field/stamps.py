"""A cheap version of a technician's bundle, so that an unchanged bundle is a 304 without building it.

The bundle is built from the technician's jobs (orders, visits, slips, photos, materials on them), their
van, and what the whole company shares (names, households, the price list, rules, the catalogue). Each of
these belongs to a scope: "technician:<id>" or "company". After every flush the session's new, changed and
deleted rows are mapped to their scopes, and when the transaction commits, each scope's counter in
`bundle_stamps` goes up by one in the same transaction. The bundle's ETag is made from the two counters
(the technician's and the company's), the company's day and the code's version, read in one query before
anything else, so a bundle built after it is never older than its tag.

Safe by default: a row of a table this module does not know moves the company scope (every phone takes a
full bundle once), never nothing. Tables no bundle shows are listed in UNSEEN. Writes that bypass the ORM
session move no stamp: the app makes none that a bundle shows (the KPI recount's are UNSEEN; `flask backup
restore` fills an empty database, stamps included); the benchmarks' bulk loads do, and a phone sees them at
the next change or the next day (the day is in the tag).

What the tag does not follow: fields computed from the clock alone (a clock's "overdue", late_risk). The
phone computes those itself from the deadlines it holds (js/clocks, js/field/lateness.js).

Locks (docs/sync.md §5): the counters are the last rows a transaction locks, at commit, in scope order.
"""
import functools
import hashlib
import secrets
from pathlib import Path

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session

from app.database import upsert_insert
from app.extensions import db
from app.field.models import BundleStamp
from app.localtime import company_zone, now_utc

COMPANY = "company"
PENDING = "bundle_scopes"  # session.info key: the scopes this transaction has touched so far
# Rows no bundle shows: claims, sessions, audit, KPI figures, the back office's books, imports, the clock
# policies (deadlines are stamped on the order when it is opened or changed).
UNSEEN = {"audit_events", "api_tokens", "user_sessions", "commands", "counters", "kpi_counts",
          "kpi_contributions", "callbacks", "callback_attempts", "clock_policies", "calendar_days",
          "household_imports", "household_import_rows", "import_column_names", "stock_periods",
          "slip_copy_returns", "handovers", "day_closes", "bundle_stamps"}
USER_UNSEEN_COLUMNS = {"password_hash"}


def technician_scope(technician_id):
    return f"technician:{technician_id}"


def scopes_of(session, obj):
    """The scopes a new, changed or deleted row belongs to."""
    from app.auth.models import User
    from app.materials.models import StockLevel, StockLocation, StockMovement
    from app.work_orders.models import WorkOrder

    table = obj.__table__.name
    if table in UNSEEN:
        return set()
    if isinstance(obj, WorkOrder):
        return {technician_scope(id_) for id_ in _all_values(obj, "technician_id") if id_ is not None}
    if isinstance(obj, User):
        return set() if _changed_only(obj, USER_UNSEEN_COLUMNS) else {COMPANY}
    if isinstance(obj, StockMovement):
        return _van_scopes(session, (obj.source_id, obj.target_id)) | _order_scopes(session, obj)
    if isinstance(obj, (StockLevel, StockLocation)):
        place = obj.location_id if isinstance(obj, StockLevel) else obj.id
        return _van_scopes(session, (place,))
    scopes = _order_scopes(session, obj)
    return scopes if scopes is not None else {COMPANY}


def _order_scopes(session, obj):
    """For a row of an order's visit (by work_order_id, visit_id or slip_id): the order's technician; None
    for a row that names no order."""
    from app.service_slips.models import Slip
    from app.visits.models import Visit
    from app.work_orders.models import WorkOrder

    order_id = getattr(obj, "work_order_id", None)
    with session.no_autoflush:
        if order_id is None and getattr(obj, "visit_id", None) is not None:
            order_id = session.get(Visit, obj.visit_id).work_order_id
        if order_id is None and getattr(obj, "slip_id", None) is not None:
            order_id = session.get(Slip, obj.slip_id).work_order_id
        if order_id is None:
            return None if not _names_an_order(obj) else set()
        order = session.get(WorkOrder, order_id)
    return {technician_scope(order.technician_id)} if order and order.technician_id else set()


def _names_an_order(obj):
    return any(hasattr(obj, name) for name in ("work_order_id", "visit_id", "slip_id"))


def _van_scopes(session, place_ids):
    from app.materials.models import StockLocation

    scopes = set()
    with session.no_autoflush:
        for place_id in place_ids:
            place = session.get(StockLocation, place_id) if place_id is not None else None
            if place is not None and place.technician_id is not None:
                scopes.add(technician_scope(place.technician_id))
    return scopes


def _all_values(obj, name):
    history = inspect(obj).attrs[name].history
    return {*history.added, *history.unchanged, *history.deleted} or {getattr(obj, name)}


def _changed_only(obj, names):
    state = inspect(obj)
    if state.was_deleted or state.transient or state.pending:
        return False
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return changed <= names


@event.listens_for(Session, "after_flush")
def _collect(session, _context):
    pending = session.info.setdefault(PENDING, set())
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if hasattr(obj, "__table__") and (obj not in session.dirty or session.is_modified(obj)):
            pending |= scopes_of(session, obj)


@event.listens_for(Session, "before_commit")
def _bump(session):
    if session.in_nested_transaction():
        return  # a savepoint: its scopes wait for the real commit (a savepoint rolled back may leave one extra)
    session.flush()  # what is still pending is part of this transaction too
    scopes = session.info.pop(PENDING, set())
    if scopes:
        bump(session, scopes)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    if transaction.parent is None:  # the real transaction ended, committed (scopes bumped) or rolled back
        session.info.pop(PENDING, None)


def bump(session, scopes):
    """Each scope's counter up by one, in scope order: one upsert each (the row made on first use)."""
    statement = _upsert(session.get_bind().dialect.name)
    for scope in sorted(scopes):
        # A new scope starts anywhere, not at 1: only equality matters, and a version is then never met
        # again by a database emptied and filled anew (the tests do it) while a process still holds it.
        session.connection().execute(statement, {"scope": scope, "first": secrets.randbelow(2**40) + 1})


# The counters are read and bumped on the connection, as table statements: through the session, an ORM
# statement takes the ORM's execution path (~0.3 ms a request) for what returns no object.
STAMPS = BundleStamp.__table__


@functools.cache
def _upsert(dialect_name):
    """bump's statement, made once per dialect."""
    statement = upsert_insert(dialect_name)(STAMPS).values(scope=bindparam("scope"), version=bindparam("first"))
    return statement.on_conflict_do_update(index_elements=[STAMPS.c.scope], set_={"version": STAMPS.c.version + 1})


@functools.cache
def _two_versions():
    return select(STAMPS.c.scope, STAMPS.c.version).where(STAMPS.c.scope.in_((bindparam("company"), bindparam("own"))))


def versions_for(technician):
    """(company version, technician version, company day): one small query (made once), no bundle built."""
    scope = technician_scope(technician.id)
    versions = dict(db.session.connection().execute(_two_versions(), {"company": COMPANY, "own": scope}).all())
    day = now_utc().astimezone(company_zone()).date().isoformat()
    return versions.get(COMPANY, 0), versions.get(scope, 0), day


def etag_for(technician, versions):
    """The bundle's ETag from its stamps (versions_for)."""
    company, own, day = versions
    parts = (code_version(), day, str(technician.id), str(company), str(own))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


@functools.cache
def code_version():
    """A hash of the app's source: a new release sends every phone a full bundle (its shape may have changed)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
