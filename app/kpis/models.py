"""The KPI aggregates: counters per month, branch and technician, and what each order adds to them.

Both tables are derived data: `services.rebuild()` recomputes them from the orders, callbacks and
visits; `tally` keeps them current in the same transaction as every change (docs/kpis.md).
"""
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Tallies:
    """One pair of counts per figure: the total counted, and the hits among them."""

    repairs: Mapped[int] = mapped_column(default=0, server_default="0")
    repairs_timely: Mapped[int] = mapped_column(default=0, server_default="0")
    asked: Mapped[int] = mapped_column(default=0, server_default="0")
    satisfied: Mapped[int] = mapped_column(default=0, server_default="0")
    complaints: Mapped[int] = mapped_column(default=0, server_default="0")
    complaints_timely: Mapped[int] = mapped_column(default=0, server_default="0")
    complaints_closed: Mapped[int] = mapped_column(default=0, server_default="0")
    complaints_satisfied: Mapped[int] = mapped_column(default=0, server_default="0")
    visits: Mapped[int] = mapped_column(default=0, server_default="0")
    visits_complete: Mapped[int] = mapped_column(default=0, server_default="0")


TALLIES = tuple(name for name in Tallies.__annotations__)


class KpiCount(Tallies, db.Model):
    """The sums for one month (YYYYMM, Beijing), branch and technician (0: nobody assigned)."""

    __tablename__ = "kpi_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column()
    branch_id: Mapped[int] = mapped_column()
    technician_id: Mapped[int] = mapped_column()

    __table_args__ = (
        db.UniqueConstraint("month", "branch_id", "technician_id", name="uq_kpi_counts_month_branch_technician"),
    )


class KpiContribution(Tallies, db.Model):
    """What one order adds now under one technician: its own figures, and the visits that technician made.

    Only rows that add something are kept. The drill-down lists these rows, so it shows exactly the
    orders a figure counts.
    """

    __tablename__ = "kpi_contributions"

    work_order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    technician_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[int] = mapped_column()
    branch_id: Mapped[int] = mapped_column()

    # The drill-down's three scopes (company, branch, technician), each read in order of the order's id.
    __table_args__ = (
        db.Index("ix_kpi_contributions_month_order", "month", "work_order_id", "technician_id"),
        db.Index("ix_kpi_contributions_month_branch_order", "month", "branch_id", "work_order_id", "technician_id"),
        db.Index("ix_kpi_contributions_month_technician_order", "month", "technician_id", "work_order_id"),
    )
