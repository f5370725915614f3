"""The service slip (客户服务单): signed once, then frozen; voided with a reason, never deleted."""
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.database import UTCDateTime
from app.errors import Conflict
from app.extensions import db
from app.localtime import now_utc
from app.paid_service.models import Quote, QuoteLine

SIGNED, VOIDED = "signed", "voided"
STATUSES = {SIGNED: "已签署", VOIDED: "已作废"}


class Slip(db.Model):
    __tablename__ = "service_slips"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(db.String(32), unique=True)
    work_order_id: Mapped[int] = mapped_column(db.ForeignKey("work_orders.id"), index=True)
    visit_id: Mapped[int] = mapped_column(db.ForeignKey("visits.id"))
    branch_id: Mapped[int] = mapped_column(db.ForeignKey("branches.id"), index=True)
    technician_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(db.ForeignKey("quotes.id"))
    charged: Mapped[bool] = mapped_column()
    total_fen: Mapped[int] = mapped_column(db.BigInteger)
    payment_method: Mapped[str] = mapped_column(db.String(10))
    collected_fen: Mapped[int] = mapped_column(db.BigInteger)
    satisfaction: Mapped[str] = mapped_column(db.String(12))
    comment: Mapped[str] = mapped_column(db.Text)
    signed_at: Mapped[object] = mapped_column(UTCDateTime)  # the phone's clock, as signed
    received_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    # The canonical JSON the customer signed, and its SHA-256 (docs/slips.md).
    content: Mapped[str] = mapped_column(db.Text)
    content_sha256: Mapped[str] = mapped_column(db.String(64))
    replaces_id: Mapped[int | None] = mapped_column(db.ForeignKey("service_slips.id"), unique=True)
    status: Mapped[str] = mapped_column(db.String(10), default=SIGNED)
    void_reason: Mapped[str | None] = mapped_column(db.Text)
    voided_at: Mapped[object | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    # The QR code's key to the public verification page; replaced to revoke it.
    verify_token: Mapped[str] = mapped_column(db.String(32), unique=True)

    work_order = relationship("WorkOrder")
    visit = relationship("Visit")
    branch = relationship("Branch")
    technician = relationship("User", foreign_keys=[technician_id])
    quote = relationship("Quote")
    signatures = relationship("SlipSignature", order_by="SlipSignature.id", cascade="all", back_populates="slip")
    replaces = relationship("Slip", remote_side=[id], backref=db.backref("replaced_by", uselist=False))
    rating = relationship("SlipRating", uselist=False, back_populates="slip")

    __table_args__ = (
        # One signed slip per visit, even when two tabs send two signings at the same moment; a reopened
        # order's second visit has its own.
        db.Index("uq_service_slips_one_signed_per_visit", "visit_id", unique=True,
                 sqlite_where=db.text("status = 'signed'"), postgresql_where=db.text("status = 'signed'")),
    )

    @property
    def status_label(self):
        return STATUSES[self.status]


class SlipSignature(db.Model):
    """A signature exactly as drawn and sent (PNG); its hash is inside the signed content."""

    __tablename__ = "slip_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    slip_id: Mapped[int] = mapped_column(db.ForeignKey("service_slips.id"))
    party: Mapped[str] = mapped_column(db.String(12))  # customer | technician
    png: Mapped[bytes] = mapped_column(db.LargeBinary)
    sha256: Mapped[str] = mapped_column(db.String(64))

    slip = relationship("Slip", back_populates="signatures")

    __table_args__ = (db.UniqueConstraint("slip_id", "party", name="uq_slip_signatures_slip_party"),)


class SlipRating(db.Model):
    """The customer's own rating from the verification page: once per slip (self-service 一访)."""

    __tablename__ = "slip_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slip_id: Mapped[int] = mapped_column(db.ForeignKey("service_slips.id"), unique=True)
    satisfaction: Mapped[str] = mapped_column(db.String(12))
    comment: Mapped[str] = mapped_column(db.Text, default="")
    # "问题是否已解决?": None when the customer did not say (ratings made before the question was asked).
    solved: Mapped[bool | None] = mapped_column()
    rated_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    slip = relationship("Slip", back_populates="rating")


# What may still change on a signed slip: its standing, never its content.
MUTABLE = frozenset({"status", "void_reason", "voided_at", "voided_by_id", "verify_token"})


def _changed_content(obj):
    state = inspect(obj)
    return sorted(attr.key for attr in state.attrs
                  if attr.key not in MUTABLE and attr.history.has_changes()
                  and attr.key in state.mapper.column_attrs)


def _added_to_kept(obj):
    """A new signature or quote line for a slip or quote that is already stored."""
    parent = obj.slip if isinstance(obj, SlipSignature) else obj.quote if isinstance(obj, QuoteLine) else None
    if parent is not None and inspect(parent).persistent:
        return f"new {type(obj).__name__} for {type(parent).__name__} {parent.id}"
    return None


def _frozen_change(session, obj):
    if not inspect(obj).persistent:
        return _added_to_kept(obj) if obj in session.new else None
    if isinstance(obj, Slip):
        changed = _changed_content(obj) if obj in session.dirty else []
        return f"slip {obj.serial}: {', '.join(changed)}" if changed or obj in session.deleted else None
    touched = obj in session.deleted or (obj in session.dirty and session.is_modified(obj))
    if isinstance(obj, SlipSignature | Quote | QuoteLine) and touched:
        return f"{type(obj).__name__} {obj.id}"
    return None


@event.listens_for(Session, "before_flush")
def _refuse_changes_after_signing(session, _context, _instances):
    """A signed slip, its signatures and any kept quote never change, whoever forgot to ask."""
    for obj in [*session.new, *session.dirty, *session.deleted]:
        what = _frozen_change(session, obj)
        if what:
            raise Conflict("服务单已签署,内容不能更改;如需更正,请作废后重新开具。",
                           {"slip": [what]}, code="slip_frozen")
