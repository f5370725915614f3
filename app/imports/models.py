"""A bulk import of households from a billing system's export: the upload, its column mapping, its progress
and counts, and the staging rows a dry run fills and the import applies in one transaction."""
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc

UPLOADED, CHECKING, CHECKED, IMPORTING, IMPORTED, FAILED = (
    "uploaded", "checking", "checked", "importing", "imported", "failed")
RUNNING = (CHECKING, IMPORTING)
ADD, UPDATE, SAME, REJECT = "add", "update", "same", "reject"


class HouseholdImport(db.Model):
    __tablename__ = "household_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(db.String(200))
    file_key: Mapped[str] = mapped_column(db.String(200))
    size: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(db.String(8))  # csv | xlsx
    encoding: Mapped[str | None] = mapped_column(db.String(16))  # utf-8 | gb18030 (csv)
    headers: Mapped[list] = mapped_column(db.JSON, default=list)  # the header row as read
    mapping: Mapped[dict] = mapped_column(db.JSON, default=dict)  # field → column index
    status: Mapped[str] = mapped_column(db.String(10), default=UPLOADED)
    progress: Mapped[int] = mapped_column(default=0)  # per mille of the work under way
    rows: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    # Estates the file names that do not exist: name → {"rows": n, "area": the file's 片区 if any}
    unknown_estates: Mapped[dict] = mapped_column(db.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(db.Text)
    created_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    # Touched after every batch: a job that stopped touching it (its worker restarted) is seen as stopped.
    heartbeat_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    finished_at: Mapped[object | None] = mapped_column(UTCDateTime)


class ImportRow(db.Model):
    """One row of the file as the dry run read it: its values, and what the import would do with it."""

    __tablename__ = "household_import_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(db.ForeignKey("household_imports.id", ondelete="CASCADE"))
    row_number: Mapped[int] = mapped_column()
    outcome: Mapped[str] = mapped_column(db.String(8))  # add | update | same | reject
    reason: Mapped[str | None] = mapped_column(db.Text)
    account_number: Mapped[str | None] = mapped_column(db.String(32))
    name: Mapped[str | None] = mapped_column(db.String(64))
    phone: Mapped[str | None] = mapped_column(db.String(32))
    estate_name: Mapped[str | None] = mapped_column(db.String(64))
    estate_id: Mapped[int | None] = mapped_column()  # None: an estate that does not exist yet
    building: Mapped[str | None] = mapped_column(db.String(16))
    unit: Mapped[str | None] = mapped_column(db.String(16))
    room: Mapped[str | None] = mapped_column(db.String(16))
    floor_area_centi: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(db.String(200))

    __table_args__ = (db.Index("ix_household_import_rows_import_outcome", "import_id", "outcome", "row_number"),)


class ColumnName(db.Model):
    """A company's own column heading, remembered once mapped: 用户编号 → 户号 next time too."""

    __tablename__ = "import_column_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    heading: Mapped[str] = mapped_column(db.String(64), unique=True)
    field: Mapped[str] = mapped_column(db.String(20))
