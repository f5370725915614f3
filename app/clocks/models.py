from datetime import date

from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ClockPolicy(db.Model):
    """The clocks a category starts when an order is opened; the admin edits them.

    A missing limit means that clock does not run for the category.
    """

    __tablename__ = "clock_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(db.String(20), unique=True)
    contact_minutes: Mapped[int | None] = mapped_column()
    on_site_minutes: Mapped[int | None] = mapped_column()
    fixed_minutes: Mapped[int | None] = mapped_column()
    fixed_working_days: Mapped[int | None] = mapped_column()
    # Categories whose visit is booked with the customer: the appointment is the on-site clock.
    by_appointment: Mapped[bool] = mapped_column(default=False)
    # The callback (回访): its window opens `callback_after_hours` after completion (a repair: 48 h, to
    # see the fix hold) and lasts `callback_hours` (None: no callback, as for a consultation); daytime
    # only keeps the window out of 20:00–08:00 (app/callbacks/windows.py).
    callback_after_hours: Mapped[int] = mapped_column(default=0, server_default="0")
    callback_hours: Mapped[int | None] = mapped_column()
    callback_daytime_only: Mapped[bool] = mapped_column(default=False)


class CalendarDay(db.Model):
    """A day that breaks the Monday–Friday rule, copied by the admin from the State Council's yearly notice:
    a public holiday (放假, weekend days inside the holiday included, as the notice lists them) or a weekend
    day made a working day (调休上班). Working days are counted with it (app/clocks/calendar.py)."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(db.Date, unique=True)  # a Beijing date
    working: Mapped[bool] = mapped_column()
    name: Mapped[str] = mapped_column(db.String(20))


class HeatingSeason(db.Model):
    """A heating season as the company runs it that year (003 一: 15 November to 15 March unless the
    city says otherwise). Years without a row use the default (app/clocks/seasons.py)."""

    __tablename__ = "heating_seasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(db.Date, unique=True)  # Beijing dates, both included
    ends_on: Mapped[date] = mapped_column(db.Date)
