from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class Photo(db.Model):
    """A photo of the work, re-encoded and stamped; the file lives in storage under a random key."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(db.String(36), unique=True)
    work_order_id: Mapped[int] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"), index=True)
    step: Mapped[str] = mapped_column(db.String(20))
    kind: Mapped[str] = mapped_column(db.String(10))  # before | after | site
    storage_key: Mapped[str] = mapped_column(db.String(80))
    thumbnail_key: Mapped[str] = mapped_column(db.String(80))
    sha256: Mapped[str] = mapped_column(db.String(64))  # of the stored, re-encoded file
    # Of the bytes the phone sent: the phone knows only these, and a signed slip lists them.
    upload_sha256: Mapped[str | None] = mapped_column(db.String(64))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size_bytes: Mapped[int] = mapped_column()
    taken_at: Mapped[object] = mapped_column(UTCDateTime)
    device_time: Mapped[object | None] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    uploaded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    visit = relationship("Visit", back_populates="photos")
