"""The price list (价目表): versions with an effective date, each holding its price items (收费项目).

A published version never changes, so a slip that names it keeps the prices it was quoted with.
"""
from datetime import date

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc

DRAFT, PUBLISHED = "draft", "published"

CATEGORIES = {
    "equipment": "设备",
    "fitting": "配件",
    "material": "材料",
    "labour": "人工",
}
COMMON_UNITS = ("个", "只", "片", "组", "套", "米", "卷", "小时", "次")


class PriceListVersion(db.Model):
    __tablename__ = "price_list_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(64))
    status: Mapped[str] = mapped_column(db.String(10), default=DRAFT)
    # A date in the company's zone: from the start of this day the version is in force.
    effective_from: Mapped[date | None] = mapped_column(db.Date, index=True)
    based_on_id: Mapped[int | None] = mapped_column(db.ForeignKey("price_list_versions.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    published_at: Mapped[object | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))

    items = relationship("PriceItem", back_populates="version", cascade="all, delete-orphan",
                         order_by="PriceItem.code")
    category_terms = relationship("CategoryTerms", back_populates="version", cascade="all, delete-orphan",
                                  order_by="CategoryTerms.category")
    based_on = relationship("PriceListVersion", remote_side=[id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])

    __table_args__ = (
        db.CheckConstraint(f"status IN ('{DRAFT}', '{PUBLISHED}')", name="status"),
        db.CheckConstraint(f"status = '{DRAFT}' OR effective_from IS NOT NULL", name="published_has_date"),
    )

    @property
    def is_draft(self):
        return self.status == DRAFT

    @property
    def items_in_order(self):
        """As the price list is read: by category (设备, 配件, 材料, 人工), then by code."""
        order = list(CATEGORIES)
        return sorted(self.items, key=lambda item: (order.index(item.category), item.code))

    @property
    def basic_labour_fee(self):
        return next((item for item in self.items if item.is_basic_labour_fee), None)

    @property
    def terms_by_category(self):
        return {terms.category: terms for terms in self.category_terms}


class PriceItem(db.Model):
    """One line a customer may be charged for: equipment, a fitting, material or labour."""

    __tablename__ = "price_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (version_id, code) index serves lookups by version.
    version_id: Mapped[int] = mapped_column(db.ForeignKey("price_list_versions.id"))
    code: Mapped[str] = mapped_column(db.String(32))
    name: Mapped[str] = mapped_column(db.String(64))
    specification: Mapped[str] = mapped_column(db.String(64), default="")
    unit: Mapped[str] = mapped_column(db.String(8))
    category: Mapped[str] = mapped_column(db.String(12))
    price_fen: Mapped[int] = mapped_column(db.BigInteger)
    # 基本人工费: all a customer pays for labour when they bring their own materials.
    is_basic_labour_fee: Mapped[bool] = mapped_column(default=False)
    # 售后服务 (001 四.14): what the company guarantees of this item, and for how many months (0: no
    # period stated). Empty: the terms of its category in the same version.
    after_sales: Mapped[str] = mapped_column(db.String(200), default="", server_default="")
    warranty_months: Mapped[int] = mapped_column(default=0, server_default="0")
    # The material a company-supplied line of this item takes from the technician's van, and how much of it
    # per unit of the item (hundredths: 100 is one for one).
    material_id: Mapped[int | None] = mapped_column(db.ForeignKey("materials.id"))
    material_centi: Mapped[int] = mapped_column(default=100, server_default="100")

    version = relationship("PriceListVersion", back_populates="items")
    material = relationship("Material")

    __table_args__ = (
        db.UniqueConstraint("version_id", "code", name="uq_price_items_version_code"),
        db.CheckConstraint("price_fen >= 0", name="price_not_negative"),
        db.CheckConstraint("material_centi > 0", name="material_quantity_positive"),
        db.CheckConstraint("category IN ('equipment', 'fitting', 'material', 'labour')", name="category"),
        # At most one basic labour fee per version, even under concurrent edits; publishing asks for exactly one.
        db.Index("uq_price_items_basic_labour_fee", "version_id", unique=True,
                 sqlite_where=db.text("is_basic_labour_fee"), postgresql_where=db.text("is_basic_labour_fee")),
    )

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)

    @property
    def material_code(self):
        """The code of the material a company-supplied line takes from the van ("" for none)."""
        return self.material.code if self.material else ""

    @property
    def material_quantity(self):
        """How much of it per unit of the item, as typed: "1", "0.5"."""
        whole, part = divmod(self.material_centi or 100, 100)
        return f"{whole}.{part:02d}".rstrip("0") if part else str(whole)

    @property
    def terms(self):
        """(after-sales terms, months) a slip prints for this item: its own, else its category's."""
        if self.after_sales:
            return self.after_sales, self.warranty_months
        shared = self.version.terms_by_category.get(self.category) if self.version else None
        return (shared.after_sales, shared.warranty_months) if shared else ("", 0)


class CategoryTerms(db.Model):
    """The after-sales terms of every item of a category in a version that has none of its own."""

    __tablename__ = "price_category_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(db.ForeignKey("price_list_versions.id"))
    category: Mapped[str] = mapped_column(db.String(12))
    after_sales: Mapped[str] = mapped_column(db.String(200))
    warranty_months: Mapped[int] = mapped_column(default=0)

    version = relationship("PriceListVersion", back_populates="category_terms")

    __table_args__ = (
        db.UniqueConstraint("version_id", "category", name="uq_price_category_terms_version_category"),
        db.CheckConstraint("warranty_months >= 0", name="warranty_not_negative"),
    )


class PublishedVersionIsImmutable(RuntimeError):
    """A bug, not a user error: services refuse such edits first with a 409."""


def _was_published(version):
    if not inspect(version).persistent:
        return False
    history = inspect(version).attrs.status.history
    return (history.deleted[0] if history.deleted else version.status) == PUBLISHED


def _touches_published(session, obj):
    changed = obj in session.deleted or obj in session.new or session.is_modified(obj)
    if isinstance(obj, PriceListVersion):
        return changed and _was_published(obj)
    if isinstance(obj, (PriceItem, CategoryTerms)):
        return changed and obj.version is not None and not obj.version.is_draft
    return False


@event.listens_for(Session, "before_flush")
def _refuse_published_edits(session, _context, _instances):
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if _touches_published(session, obj):
            raise PublishedVersionIsImmutable(f"{type(obj).__name__} {obj.id} belongs to a published price list")
