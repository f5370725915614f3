"""The bundle's version stamps (app/field/stamps.py): one counter per scope a bundle is built from."""
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class BundleStamp(db.Model):
    """`scope` is "company" (what every bundle shows: names, households, price list, rules, catalogue) or
    "technician:<id>" (that technician's jobs, visits, slips and van); `version` goes up by one with every
    committed transaction that changed something in the scope."""

    __tablename__ = "bundle_stamps"

    scope: Mapped[str] = mapped_column(db.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(db.BigInteger, default=0)
