"""A quote (报价) for paid service: price-list lines frozen at the prices of the version it was made with."""
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc


class Quote(db.Model):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    price_list_version_id: Mapped[int] = mapped_column(db.ForeignKey("price_list_versions.id"))
    total_fen: Mapped[int] = mapped_column(db.BigInteger)
    created_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    lines = relationship("QuoteLine", order_by="QuoteLine.position", cascade="all, delete-orphan",
                         back_populates="quote")


class QuoteLine(db.Model):
    """One line as the customer reads it; name and price are copied so the quote never changes."""

    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(db.ForeignKey("quotes.id"), index=True)
    position: Mapped[int] = mapped_column()
    price_item_id: Mapped[int] = mapped_column(db.ForeignKey("price_items.id"))
    code: Mapped[str] = mapped_column(db.String(32))
    name: Mapped[str] = mapped_column(db.String(64))
    specification: Mapped[str] = mapped_column(db.String(64))
    unit: Mapped[str] = mapped_column(db.String(8))
    category: Mapped[str] = mapped_column(db.String(12))
    # Hundredths of a unit: 1.5 米 of pipe is 150; exact, like the money.
    quantity_centi: Mapped[int] = mapped_column()
    supplied_by: Mapped[str] = mapped_column(db.String(10))  # company | customer
    unit_price_fen: Mapped[int] = mapped_column(db.BigInteger)
    amount_fen: Mapped[int] = mapped_column(db.BigInteger)
    # Added by the rule, not chosen: the customer brought their own materials.
    added_for_own_materials: Mapped[bool] = mapped_column(default=False)

    quote = relationship("Quote", back_populates="lines")
