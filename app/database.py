"""Database plumbing: a UTC datetime column type and SQLite's concurrency settings."""
from contextvars import ContextVar
from datetime import UTC

from sqlalchemy import DateTime, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

# Read-only requests begin deferred transactions so readers never queue behind writers;
# everything else begins IMMEDIATE so that concurrent writers wait instead of failing.
write_intent = ContextVar("write_intent", default=True)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in Python, naive UTC in the database (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: say which zone it is in")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def configure_sqlite(engine: Engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def reads_only(view):
    """Marks a view that only reads (and answers a safe method): on PostgreSQL its statements run without a
    transaction around them, two round trips fewer (BEGIN, ROLLBACK). Under READ COMMITTED each statement
    sees its own snapshot either way, so nothing it reads changes. Only for a view that never writes: a write
    there would be kept at once, even if the view then failed."""
    view.reads_only = True
    return view


def begin_reads(session, view):
    """Called before a request's first statement: a marked view's session takes its connection in
    autocommit (PostgreSQL; SQLite's deferred BEGIN is already what a reader needs)."""
    if getattr(view, "reads_only", False) and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def upsert_insert(dialect_name):
    """INSERT with ON CONFLICT for the database in use: both dialects spell it the same in SQLAlchemy."""
    return pg_insert if dialect_name == "postgresql" else sqlite_insert
