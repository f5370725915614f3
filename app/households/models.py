from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class Household(db.Model):
    """A heating customer (热用户), known by account number (户号) and address."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_number: Mapped[str] = mapped_column(db.String(32), unique=True)
    name: Mapped[str] = mapped_column(db.String(64))
    phone: Mapped[str] = mapped_column(db.String(32), index=True)
    estate_id: Mapped[int] = mapped_column(db.ForeignKey("estates.id"), index=True)
    building: Mapped[str] = mapped_column(db.String(16))
    unit: Mapped[str] = mapped_column(db.String(16))
    room: Mapped[str] = mapped_column(db.String(16))
    # 面积 in hundredths of a square metre (the billing system's heated area), and its 备注.
    floor_area_centi: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(db.String(200), default="", server_default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[object | None] = mapped_column(UTCDateTime, onupdate=now_utc)

    estate = relationship("Estate")

    @property
    def area(self):
        return self.estate.area

    @property
    def address(self):
        return f"{self.estate.name} {self.building}号楼 {self.unit}单元 {self.room}室"
