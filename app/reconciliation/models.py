"""What the back office records when it reconciles: returned third copies, money handed in, closed days."""
from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.database import UTCDateTime
from app.errors import Conflict
from app.extensions import db
from app.localtime import now_utc

SCAN, TYPED = "scan", "typed"
HOW = {SCAN: "扫码", TYPED: "录入单号"}


class SlipCopyReturn(db.Model):
    """The paper third copy (第三联 客服部联) of a slip is back at head office: recorded once."""

    __tablename__ = "slip_copy_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slip_id: Mapped[int] = mapped_column(db.ForeignKey("service_slips.id"), unique=True)
    returned_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    recorded_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    how: Mapped[str] = mapped_column(db.String(8))  # scan | typed

    slip = relationship("Slip")
    recorded_by = relationship("User")

    @property
    def how_label(self):
        return HOW.get(self.how, self.how)


class Handover(db.Model):
    """Money a technician handed in for one day and one payment method. Never edited: a mistake is
    corrected by a further entry with a negative amount and a note."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(db.Date)  # the Beijing date of the slips it pays for
    method: Mapped[str] = mapped_column(db.String(10))  # cash | wechat | alipay
    amount_fen: Mapped[int] = mapped_column(db.BigInteger)
    note: Mapped[str] = mapped_column(db.String(200), default="")
    recorded_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    recorded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    technician = relationship("User", foreign_keys=[technician_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    __table_args__ = (db.Index("ix_handovers_technician_id_day", "technician_id", "day"),)


class DayClose(db.Model):
    """A technician's day, reconciled and closed: the figures as they were, frozen.

    The day's bounds in UTC are kept as closed, so that a slip uploaded later (signed offline
    that day) is found by a plain range query, whatever the time-zone setting says later.
    """

    __tablename__ = "day_closes"

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(db.Date)
    starts_at: Mapped[object] = mapped_column(UTCDateTime)
    ends_at: Mapped[object] = mapped_column(UTCDateTime)
    balanced: Mapped[bool] = mapped_column()
    reason: Mapped[str | None] = mapped_column(db.Text)  # required when the day did not balance
    snapshot: Mapped[dict] = mapped_column(db.JSON)
    closed_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    closed_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    technician = relationship("User", foreign_keys=[technician_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])

    __table_args__ = (db.UniqueConstraint("technician_id", "day", name="uq_day_closes_technician_id_day"),)


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session, _context, _instances):
    """What the back office recorded stays as recorded: rows are added, never changed or removed."""
    for obj in [*session.dirty, *session.deleted]:
        kept = isinstance(obj, SlipCopyReturn | Handover | DayClose)
        if kept and (obj in session.deleted or session.is_modified(obj)):
            raise Conflict("对账记录只能追加,不能修改或删除。", code="reconciliation_frozen")
