"""Gapless counters (work order numbers today; slip serials later).

The increment is one UPDATE ... RETURNING inside the caller's transaction: on PostgreSQL the
row lock serialises concurrent callers, on SQLite the IMMEDIATE transaction does.
"""
from sqlalchemy import update
from sqlalchemy.orm import Mapped, mapped_column

from app.database import upsert_insert
from app.extensions import db


class Counter(db.Model):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(db.String(64), primary_key=True)
    value: Mapped[int] = mapped_column(db.BigInteger, default=0)


def next_value(name):
    dialect = db.session.get_bind().dialect.name
    insert = upsert_insert(dialect)
    db.session.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    statement = (
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    )
    return db.session.execute(statement).scalar_one()
