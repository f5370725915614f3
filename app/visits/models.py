"""What happened in the flat. Every record is added once and never changed (append-only)."""
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class Visit(db.Model):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    technician_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    started_at: Mapped[object] = mapped_column(UTCDateTime)
    finished_at: Mapped[object | None] = mapped_column(UTCDateTime)

    steps = relationship("VisitStep", order_by="VisitStep.id", back_populates="visit")
    notes = relationship("VisitNote", order_by="VisitNote.id")
    readings = relationship("TemperatureReading", order_by="TemperatureReading.id")
    repair = relationship("RepairRecord", uselist=False)
    damages = relationship("DamageRecord", order_by="DamageRecord.id")
    photos = relationship("Photo", order_by="Photo.id", back_populates="visit")
    # What the company bore: materials used at no charge (a slip's charged lines are consumed on signing).
    materials = relationship(
        "StockMovement", order_by="StockMovement.id", viewonly=True,
        primaryjoin="and_(StockMovement.visit_id == Visit.id, StockMovement.kind == 'consume', "
                    "StockMovement.charged.is_(False))")


class VisitStep(db.Model):
    __tablename__ = "visit_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"))
    step: Mapped[str] = mapped_column(db.String(20))
    outcome: Mapped[str] = mapped_column(db.String(10))  # done | skipped
    reason: Mapped[str | None] = mapped_column(db.Text)
    note: Mapped[str | None] = mapped_column(db.Text)
    at: Mapped[object] = mapped_column(UTCDateTime)
    device_time: Mapped[object | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    visit = relationship("Visit", back_populates="steps")

    __table_args__ = (db.UniqueConstraint("visit_id", "step", name="uq_visit_steps_visit_step"),)


class VisitNote(db.Model):
    __tablename__ = "visit_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"), index=True)
    step: Mapped[str | None] = mapped_column(db.String(20))
    text: Mapped[str] = mapped_column(db.Text)
    at: Mapped[object] = mapped_column(UTCDateTime)
    recorded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)


class TemperatureReading(db.Model):
    """A room temperature in tenths of a degree (18.5 °C → 185), so it is exact, with the standard's
    minimum at the time it was measured (app/temperature/standard.py)."""

    __tablename__ = "temperature_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"), index=True)
    room: Mapped[str] = mapped_column(db.String(20))
    tenths: Mapped[int] = mapped_column()
    minimum_tenths: Mapped[int] = mapped_column(server_default="180")
    below_standard: Mapped[bool] = mapped_column()
    at: Mapped[object] = mapped_column(UTCDateTime)
    # The phone's clock as it was, kept apart from `at` (which a wrong clock cannot move out of the
    # order's life): the time the customer saw beside the reading, and signed.
    device_time: Mapped[object | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def measured_at(self):
        return self.device_time or self.at


class RepairRecord(db.Model):
    """Where the fault was decides who pays: the company's network up to the entry port is free."""

    __tablename__ = "repair_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"), unique=True)
    fault_location: Mapped[str] = mapped_column(db.String(10))  # company | customer
    resolution: Mapped[str] = mapped_column(db.String(10))  # free | paid | advice
    diagnosis: Mapped[str] = mapped_column(db.Text)
    result: Mapped[str] = mapped_column(db.Text)
    at: Mapped[object] = mapped_column(UTCDateTime)
    recorded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)


class DamageRecord(db.Model):
    """Damage the customer caused, analysed with them; their signature on the slip confirms it (000 九.六)."""

    __tablename__ = "damage_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"), index=True)
    description: Mapped[str] = mapped_column(db.Text)
    at: Mapped[object] = mapped_column(UTCDateTime)
    recorded_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)


class PhotoRule(db.Model):
    """A photo a step needs before it counts as done (a setting; defaults in checklist.py)."""

    __tablename__ = "photo_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    step: Mapped[str] = mapped_column(db.String(20))
    kind: Mapped[str] = mapped_column(db.String(10))

    __table_args__ = (db.UniqueConstraint("step", "kind", name="uq_photo_rules_step_kind"),)
