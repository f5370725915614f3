"""The company's map: branches (分公司), their areas (片区), and the estates (小区) each area covers."""
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

area_technicians = db.Table(
    "area_technicians",
    db.Column("area_id", db.ForeignKey("areas.id"), primary_key=True),
    db.Column("user_id", db.ForeignKey("users.id"), primary_key=True),
)


class Branch(db.Model):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(db.String(10), unique=True)
    name: Mapped[str] = mapped_column(db.String(64), unique=True)
    phone: Mapped[str] = mapped_column(db.String(32), default="")
    # Deactivated, never deleted: orders and slips point to it; it takes no new areas or staff.
    active: Mapped[bool] = mapped_column(default=True, server_default=db.true())

    areas = relationship("Area", back_populates="branch", order_by="Area.name")


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"), index=True)
    name: Mapped[str] = mapped_column(db.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=db.true())

    branch = relationship("Branch", back_populates="areas")
    estates = relationship("Estate", back_populates="area", order_by="Estate.name")
    technicians = relationship("User", secondary=area_technicians, back_populates="areas")


class Estate(db.Model):
    __tablename__ = "estates"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(db.ForeignKey("areas.id"), index=True)
    name: Mapped[str] = mapped_column(db.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=db.true())

    area = relationship("Area", back_populates="estates")
