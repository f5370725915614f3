from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
from app.extensions import db
from app.localtime import now_utc

ROLES = {
    "admin": "管理员",
    "dispatcher": "调度员",
    "technician": "维修师傅",
    "back_office": "客服部",
    "storekeeper": "库管员",
}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(db.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(db.String(255))
    name: Mapped[str] = mapped_column(db.String(64))
    role: Mapped[str] = mapped_column(db.String(20), index=True)
    phone: Mapped[str | None] = mapped_column(db.String(32))
    badge_number: Mapped[str | None] = mapped_column(db.String(20), unique=True)
    branch_id: Mapped[int | None] = mapped_column(db.ForeignKey("branches.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # A first password an admin handed over (or a reset): the user chooses their own before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=db.false())
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)

    branch = relationship("Branch")
    areas = relationship("Area", secondary="area_technicians", back_populates="technicians")

    @property
    def is_active(self):
        return self.active

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @property
    def is_technician(self):
        return self.role == "technician"

    def has_role(self, *roles):
        return self.role in roles


class ApiToken(db.Model):
    """A bearer token for an integration; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    label: Mapped[str] = mapped_column(db.String(100), default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    revoked_at: Mapped[object | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class UserSession(db.Model):
    """A signed-in browser or phone. The cookie carries the key; only its SHA-256 is kept here, and a
    session ends on the server (signing out, a new password, a deactivated user), not only in the cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=now_utc)
    ended_at: Mapped[object | None] = mapped_column(UTCDateTime)
