from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class AuditEvent(db.Model):
    """One change, who made it and when. Rows are only ever added."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc, index=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(db.String(32))
    entity_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(db.String(32))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)

    __table_args__ = (db.Index("ix_audit_events_entity", "entity", "entity_id"),)


class AuditTrailIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session, _context, _instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditTrailIsAppendOnly("audit events cannot be changed or deleted")
