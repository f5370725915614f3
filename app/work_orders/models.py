from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class WorkOrder(db.Model):
    """A work order (工单): one request from a household, its route, its clocks and its life."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(db.String(20), unique=True)
    channel: Mapped[str] = mapped_column(db.String(20))
    category: Mapped[str] = mapped_column(db.String(20), index=True)
    description: Mapped[str] = mapped_column(db.Text)
    status: Mapped[str] = mapped_column(db.String(20))
    household_id: Mapped[int] = mapped_column(db.ForeignKey("households.id"), index=True)
    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"), index=True)
    area_id: Mapped[int] = mapped_column(db.ForeignKey("areas.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    # First-contact responsibility (首问负责制): who took the call owns it until it is handed on.
    received_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc, index=True)
    # The Beijing month it was opened in (YYYYMM): the month its KPIs count in (app/kpis).
    opened_month: Mapped[int] = mapped_column()

    # Clocks: the deadlines, fixed when the order is opened from the policy in force then.
    contact_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    on_site_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    fixed_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    # The earliest deadline not yet met; what the board and "my jobs" sort by.
    next_due_at: Mapped[object | None] = mapped_column(UTCDateTime)

    # When each step happened.
    dispatched_at: Mapped[object | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[object | None] = mapped_column(UTCDateTime)
    contacted_at: Mapped[object | None] = mapped_column(UTCDateTime)
    departed_at: Mapped[object | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[object | None] = mapped_column(UTCDateTime)
    done_at: Mapped[object | None] = mapped_column(UTCDateTime)
    called_back_at: Mapped[object | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[object | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[object | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(db.Text)

    appointment_at: Mapped[object | None] = mapped_column(UTCDateTime)
    appointment_moves: Mapped[int] = mapped_column(default=0)
    appointment_night_requested: Mapped[bool] = mapped_column(default=False)
    # The technician told the customer he may be late for the appointment (000 九.五; app/clocks/seasons.py).
    customer_told_at: Mapped[object | None] = mapped_column(UTCDateTime)

    household = relationship("Household")
    branch = relationship("Branch")
    area = relationship("Area")
    technician = relationship("User", foreign_keys=[technician_id])
    received_by = relationship("User", foreign_keys=[received_by_id])
    history = relationship(
        "StatusChange", back_populates="work_order", order_by="StatusChange.id"
    )
    visits = relationship("Visit", order_by="Visit.id")  # the latest is the one being done (or last done)

    __table_args__ = (
        # The board's order (queries.BY_DEADLINE) after the status: open orders' ids sorted from the index alone.
        db.Index("ix_work_orders_status_deadline", "status", "next_due_at", "appointment_at", "created_at"),
        db.Index("ix_work_orders_technician_status", "technician_id", "status"),
        db.Index("ix_work_orders_opened_month_category_branch", "opened_month", "category", "branch_id"),
    )


class StatusChange(db.Model):
    """One step in a work order's life: who did what, when (append-only)."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    action: Mapped[str] = mapped_column(db.String(20))
    from_status: Mapped[str | None] = mapped_column(db.String(20))
    to_status: Mapped[str] = mapped_column(db.String(20))
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    # What the phone said the time was, when the action came from a phone.
    device_time: Mapped[object | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(db.Text)
    technician_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))

    work_order = relationship("WorkOrder", back_populates="history")
    actor = relationship("User", foreign_keys=[actor_id])
    technician = relationship("User", foreign_keys=[technician_id])
