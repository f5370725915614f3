"""Materials (材料) a branch stocks, where they are (the branch's store, each technician's van), and every
movement between them — rows that are never edited; the on-hand figure is their sum, kept in step per
place and material by one atomic UPDATE in the movement's own transaction."""
from datetime import date

from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc

STORE, VAN = "store", "van"
RECEIPT, ISSUE, RETURN, TRANSFER, CONSUME, REVERSE, WRITE_OFF, ADJUST = (
    "receipt", "issue", "return", "transfer", "consume", "reverse", "write_off", "adjust")
KINDS = {RECEIPT: "入库", ISSUE: "领料", RETURN: "退料", TRANSFER: "调拨", CONSUME: "维修消耗",
         REVERSE: "冲销(作废服务单)", WRITE_OFF: "报损", ADJUST: "盘点调整"}


class Material(db.Model):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(db.String(32), unique=True)
    name: Mapped[str] = mapped_column(db.String(64))
    specification: Mapped[str] = mapped_column(db.String(64), default="")
    unit: Mapped[str] = mapped_column(db.String(8))
    # 个, 只, 片: whole units only; 米, 卷: hundredths allowed (1.5 米 of pipe).
    whole_units: Mapped[bool] = mapped_column(default=True)
    cost_fen: Mapped[int] = mapped_column(db.BigInteger, default=0)
    min_stock_centi: Mapped[int] = mapped_column(default=0)  # below this in a branch's store: low stock
    # The one branch that stocks it; None: every branch does.
    branch_id: Mapped[int | None] = mapped_column(db.ForeignKey("branches.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    branch = relationship("Branch")

    __table_args__ = (db.CheckConstraint("cost_fen >= 0", name="cost_not_negative"),)


class StockLocation(db.Model):
    """A branch's store (库房), or a technician's van stock (随车库存)."""

    __tablename__ = "stock_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(8))  # store | van
    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), unique=True)

    branch = relationship("Branch")
    technician = relationship("User")

    __table_args__ = (
        db.CheckConstraint(f"(kind = '{STORE}' AND technician_id IS NULL) OR "
                           f"(kind = '{VAN}' AND technician_id IS NOT NULL)", name="kind_matches_owner"),
        db.Index("uq_stock_locations_branch_store", "branch_id", unique=True,
                 sqlite_where=db.text("kind = 'store'"), postgresql_where=db.text("kind = 'store'")),
    )


class StockMovement(db.Model):
    """One movement, never edited: `quantity_centi` in hundredths of the unit from `source` to `target`
    (a receipt has no source; a consumption or write-off no target; an adjustment one of them)."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(10))
    material_id: Mapped[int] = mapped_column(db.ForeignKey("materials.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(db.ForeignKey("stock_locations.id"))
    target_id: Mapped[int | None] = mapped_column(db.ForeignKey("stock_locations.id"))
    quantity_centi: Mapped[int] = mapped_column()
    unit_cost_fen: Mapped[int] = mapped_column(db.BigInteger)  # the material's cost when it moved
    work_order_id: Mapped[int | None] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(db.ForeignKey("visits.id"), index=True)
    # A consumption for a slip's company-supplied line (charged to the customer), or its reversal on void.
    slip_id: Mapped[int | None] = mapped_column(db.ForeignKey("service_slips.id"), index=True)
    charged: Mapped[bool] = mapped_column(default=False)
    # A consumption recorded offline that took the van below zero: accepted (the part was used) and flagged.
    below_zero: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(db.String(200))
    actor_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    # The company's day the movement belongs to (a month closed in the books takes no more).
    booked_on: Mapped[date] = mapped_column(db.Date)
    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"))

    material = relationship("Material")
    source = relationship("StockLocation", foreign_keys=[source_id])
    target = relationship("StockLocation", foreign_keys=[target_id])
    actor = relationship("User")

    __table_args__ = (db.CheckConstraint("quantity_centi > 0", name="quantity_positive"),
                      db.CheckConstraint("source_id IS NOT NULL OR target_id IS NOT NULL", name="goes_somewhere"),
                      db.Index("ix_stock_movements_source_material", "source_id", "material_id"),
                      db.Index("ix_stock_movements_target_material", "target_id", "material_id"),
                      db.Index("ix_stock_movements_branch_booked", "branch_id", "booked_on"))


class StockPeriod(db.Model):
    """A branch's books closed through a day (the end of a month): no movement is booked on or before it."""

    __tablename__ = "stock_periods"

    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"), primary_key=True)
    closed_through: Mapped[date] = mapped_column(db.Date)
    closed_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    closed_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)


class StockLevel(db.Model):
    """The sum of a material's movements into and out of one place, kept in step with them."""

    __tablename__ = "stock_levels"

    location_id: Mapped[int] = mapped_column(db.ForeignKey("stock_locations.id"), primary_key=True)
    material_id: Mapped[int] = mapped_column(db.ForeignKey("materials.id"), primary_key=True)
    on_hand_centi: Mapped[int] = mapped_column(db.BigInteger, default=0)
