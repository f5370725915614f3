from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class Command(db.Model):
    """One action sent by a phone, kept with the answer it got.

    The unique client_uuid makes a replay return the first answer instead of acting twice; refused
    commands stay here so the desk can see what a technician captured and the server turned down.
    """

    __tablename__ = "commands"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(db.String(36), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    type: Mapped[str] = mapped_column(db.String(20))
    payload: Mapped[dict] = mapped_column(db.JSON, default=dict)
    device_time: Mapped[object | None] = mapped_column(UTCDateTime)
    received_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    outcome: Mapped[str] = mapped_column(db.String(10))  # applied | refused
    http_status: Mapped[int] = mapped_column()
    error: Mapped[dict | None] = mapped_column(db.JSON)
