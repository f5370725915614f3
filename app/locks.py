"""Row locks, taken in one order by every write path (docs/sync.md, "Locks").

1. the command's claim (its row, unique by client_uuid)
2. the work order
3. the order's callback
4. the technician (where money is counted: signing, voiding, handing in, closing a day)
5. the counters (order numbers, slip serials)
6. the KPI counts, by key
7. the branch's stock period (shared by every movement, exclusive only while a month is closed)
8. the stock levels a movement changes, in place id order (an atomic UPDATE … RETURNING each)
9. the bundle stamps, at commit, in scope order (app/field/stamps.py)

A path takes only the ones its rule needs, always in this order. Every lock is FOR NO KEY UPDATE: it
does not wait for the KEY SHARE locks that PostgreSQL's foreign-key checks take (a command's row
names its user and its order), which is what made two signings of one technician deadlock when both
had inserted a row naming him and then asked FOR UPDATE on him. No path changes a key, so nothing
needs the stronger lock. SQLite has one writer at a time (BEGIN IMMEDIATE) and ignores these clauses.
"""
import functools

from sqlalchemy import bindparam, select
from sqlalchemy.orm import scoped_session

from app.extensions import db

HELD = "locks_held"


def _held(session):
    """{(table, id)} the innermost transaction has locked so far; a new one (or a savepoint: rolled back, it
    lets go of its locks) starts with none."""
    if isinstance(session, scoped_session):
        session = session()
    current = session.get_nested_transaction() or session.get_transaction()
    mark, rows = session.info.get(HELD, (None, None))
    if mark is not current:
        mark, rows = session.info[HELD] = (current, set())
    return rows


def for_update(statement, of=None):
    """The statement as a row lock in the house style, re-reading what the session held before. `of`: the
    table locked, when the statement joins others (their rows are read, not locked)."""
    return statement.with_for_update(key_share=True, of=of).execution_options(populate_existing=True)


def lock_row(model, row_id, *options):
    """The row, locked; None when it does not exist. `options`: what to load with it, in the same statement
    (joined rows are not locked)."""
    row = db.session.execute(_locking(model, options), {"row_id": row_id}).unique().scalar_one_or_none()
    if row is not None:
        _held(db.session).add((model.__table__.name, row_id))
    return row


@functools.lru_cache(maxsize=64)
def _locking(model, options):
    """lock_row's statement, made once for a model and its options (the same tuple: queries.details and
    field.services.job_loads make theirs once), so its cache key is computed once too."""
    statement = select(model).where(model.id == bindparam("row_id")).options(*options)
    return for_update(statement, of=model if options else None)


def share_row(model, key):
    """The row held against change (FOR SHARE: many holders at once) until the transaction ends."""
    return db.session.execute(select(model).where(model.branch_id == key).with_for_update(read=True)
                              .execution_options(populate_existing=True)).scalar_one_or_none()


def lock_id(session, column, row_id):
    """Only the lock, outside the ORM (the KPI hook runs inside a flush); no round trip for a row this
    transaction already holds (a command locked its order before changing it)."""
    held = _held(session)
    if (column.table.name, row_id) in held:
        return
    session.connection().execute(select(column).where(column == row_id).with_for_update(key_share=True))
    held.add((column.table.name, row_id))
