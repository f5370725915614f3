"""The callback (回访): every completed order is called back within its window; the answer is kept."""
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc

PENDING, ANSWERED = "pending", "answered"
STATUSES = {PENDING: "待回访", ANSWERED: "已回访"}
SOURCES = {"phone": "电话回访", "slip": "客户扫码评价"}


class Callback(db.Model):
    """One callback task per completion of an order: a reopened order that is completed again gets a new round."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(db.ForeignKey("work_orders.id"))
    round: Mapped[int] = mapped_column(default=1)
    # Copied from the order when the task is made, so the queue and the KPIs need no join.
    category: Mapped[str] = mapped_column(db.String(20))
    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"))
    technician_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    completed_at: Mapped[object] = mapped_column(UTCDateTime)  # the order's 完工
    # The window from the policy: not before due_from (e.g. 08:00), answered by due_by.
    due_from: Mapped[object] = mapped_column(UTCDateTime)
    due_by: Mapped[object] = mapped_column(UTCDateTime)
    daytime_only: Mapped[bool] = mapped_column(default=False)  # the policy's night rule: not 20:00–08:00
    status: Mapped[str] = mapped_column(db.String(10), default=PENDING)
    # The answer: reached the customer, problem solved, how satisfied, in their words.
    answered_at: Mapped[object | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    source: Mapped[str | None] = mapped_column(db.String(10))  # phone | slip
    solved: Mapped[bool | None] = mapped_column()
    satisfaction: Mapped[str | None] = mapped_column(db.String(12))
    comment: Mapped[str | None] = mapped_column(db.Text)
    # The customer's own rating from the slip's page, when it belongs to this round: it answers the
    # callback when the customer says the problem is solved, and flags it when they say it is not.
    slip_rating_id: Mapped[int | None] = mapped_column(db.ForeignKey("slip_ratings.id"), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    work_order = relationship("WorkOrder")
    technician = relationship("User", foreign_keys=[technician_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    branch = relationship("Branch")
    slip_rating = relationship("SlipRating")
    attempts = relationship("CallbackAttempt", order_by="CallbackAttempt.id", back_populates="callback")

    __table_args__ = (
        db.UniqueConstraint("work_order_id", "round", name="uq_callbacks_work_order_round"),
        db.Index("ix_callbacks_status_due_by", "status", "due_by"),
    )


class CallbackAttempt(db.Model):
    """A call that did not reach the customer (or was cut short): kept, with when to try again."""

    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(db.ForeignKey("callbacks.id"), index=True)
    at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(db.Text)
    retry_at: Mapped[object | None] = mapped_column(UTCDateTime)

    callback = relationship("Callback", back_populates="attempts")
    by = relationship("User")
