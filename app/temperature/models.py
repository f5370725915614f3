from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class RoomStandard(db.Model):
    """The room temperature a flat must reach (000 七): from `day_starts` to `day_ends` (minutes after
    local midnight) at least `day_min_tenths`, at other times at least `night_min_tenths`. One row, the
    company's setting; without it the seed's 06:00–21:00 ≥ 18 °C, otherwise ≥ 16 °C."""

    __tablename__ = "room_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    day_starts: Mapped[int] = mapped_column()
    day_ends: Mapped[int] = mapped_column()
    day_min_tenths: Mapped[int] = mapped_column()
    night_min_tenths: Mapped[int] = mapped_column()
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))

    __table_args__ = (
        db.CheckConstraint("0 <= day_starts AND day_starts < day_ends AND day_ends <= 1440", name="day_in_order"),
        db.CheckConstraint("night_min_tenths <= day_min_tenths", name="night_not_above_day"),
    )
