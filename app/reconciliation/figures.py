"""The money figures (收款对账) of a technician's Beijing day: what the signed slips say was collected,
by payment method, against what was handed in — live for an open day, as frozen for a closed one."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.localtime import day_bounds, local_day, local_today
from app.reconciliation.models import DayClose, Handover
from app.service_slips.content import COLLECTING_METHODS, PAYMENT_METHODS
from app.service_slips.models import SIGNED, Slip

PENDING_LOOKBACK_DAYS = 31


@dataclass
class MethodFigures:
    method: str
    expected: int = 0
    handed: int = 0

    @property
    def label(self):
        return PAYMENT_METHODS[self.method]

    @property
    def difference(self):
        """Handed in minus due: positive is 多交, negative 少交."""
        return self.handed - self.expected


@dataclass
class Figures:
    """One technician's day in numbers: by collecting method, and what is still owed by customers."""

    methods: dict = field(default_factory=lambda: {m: MethodFigures(m) for m in COLLECTING_METHODS})
    unpaid_fen: int = 0
    unpaid_count: int = 0
    slip_count: int = 0

    @property
    def balanced(self):
        return all(line.difference == 0 for line in self.methods.values())

    @property
    def expected(self):
        return sum(line.expected for line in self.methods.values())

    @property
    def handed(self):
        return sum(line.handed for line in self.methods.values())

    def add_slips(self, method, count, collected_fen, owed_fen, owing):
        """Signed slips of one payment method; sums come in as int() because PostgreSQL sums BIGINT as NUMERIC."""
        self.slip_count += count
        self.unpaid_fen += int(owed_fen or 0)
        self.unpaid_count += owing
        if method in self.methods:
            self.methods[method].expected += int(collected_fen or 0)

    def add_handed(self, method, amount_fen):
        self.methods[method].handed += int(amount_fen or 0)

    def as_snapshot(self):
        return {"methods": {m: {"expected": line.expected, "handed": line.handed} for m, line in self.methods.items()},
                "unpaid_fen": self.unpaid_fen, "unpaid_count": self.unpaid_count, "slip_count": self.slip_count}

    @classmethod
    def from_snapshot(cls, snapshot):
        figures = cls(unpaid_fen=snapshot["unpaid_fen"], unpaid_count=snapshot["unpaid_count"],
                      slip_count=snapshot["slip_count"])
        for method, values in snapshot["methods"].items():
            figures.methods[method] = MethodFigures(method, values["expected"], values["handed"])
        return figures


def figures_by_technician(day, technician_ids=None):
    """{technician_id: Figures} for everyone with a signed slip or a handover that day (or those named)."""
    return {technician_id: figures for (technician_id, _), figures in
            live_figures(day, day, technician_ids).items()}


def figures_of(technician, day):
    return figures_by_technician(day, [technician.id]).get(technician.id, Figures())


def closes_on(day):
    return {c.technician_id: c for c in db.session.execute(select(DayClose).filter_by(day=day)).scalars()}


def day_rows(day, branch_id=None):
    """(technician, Figures, DayClose or None) for everyone with money, a slip or a close that day, by branch
    and name: the frozen figures where the day is closed."""
    live, closes = figures_by_technician(day), closes_on(day)
    ids = live.keys() | closes.keys()
    people = db.session.execute(select(User).where(User.id.in_(ids)).order_by(User.branch_id, User.name)).scalars()
    return [(person, Figures.from_snapshot(closes[person.id].snapshot) if person.id in closes else live[person.id],
             closes.get(person.id)) for person in people if not branch_id or person.branch_id == branch_id]


@dataclass
class RecentDay:
    technician: User
    day: date
    close: DayClose | None = None
    figures: Figures | None = None


def recent_days(today=None, branch_id=None):
    """Technician-days of the lookback with money on them (collected, owed or handed in), and every close:
    the open ones first, each part newest first. Figures are left to `with_figures`."""
    today = today or local_today()
    since = today - timedelta(days=PENDING_LOOKBACK_DAYS)
    start, _ = day_bounds(since)
    money = (Slip.total_fen > 0) | (Slip.collected_fen > 0)
    moments = db.session.execute(select(Slip.technician_id, Slip.signed_at).where(
        Slip.status == SIGNED, money, Slip.signed_at >= start)).all()
    keys = {(technician_id, local_day(at)) for technician_id, at in moments}
    keys |= set(db.session.execute(select(Handover.technician_id, Handover.day).where(Handover.day >= since)).all())
    closes = {(c.technician_id, c.day): c for c in db.session.execute(
        select(DayClose).where(DayClose.day >= since)).scalars()}
    keys |= set(closes)
    people = {u.id: u for u in db.session.execute(select(User).where(User.id.in_({k[0] for k in keys}))).scalars()}
    days = [RecentDay(people[t], day, closes.get((t, day))) for t, day in keys
            if day <= today and (not branch_id or people[t].branch_id == branch_id)]
    days.sort(key=lambda d: (d.day, d.technician.name), reverse=True)
    return sorted(days, key=lambda d: d.close is not None)


def pending_count(today=None):
    """Days before today with money still to reconcile."""
    today = today or local_today()
    return sum(1 for d in recent_days(today) if d.close is None and d.day < today)


def with_figures(days):
    """Each day's figures: as frozen where it is closed, else live — all the open ones from two queries."""
    open_days = [item for item in days if item.close is None]
    live = live_figures(min(item.day for item in open_days), max(item.day for item in open_days),
                        {item.technician.id for item in open_days}) if open_days else {}
    for item in days:
        closed = item.close
        item.figures = Figures.from_snapshot(closed.snapshot) if closed else live.get(
            (item.technician.id, item.day), Figures())
    return days


def live_figures(first, last, technician_ids=None):
    """{(technician_id, day): Figures} from the days `first`…`last` as they stand, in two queries (for
    everyone, or the technicians named). Slips are put on their Beijing day here, since the database has
    no portable way to say which day that is; a technician's day holds tens of slips, not thousands."""
    start, end = day_bounds(first)[0], day_bounds(last)[1]
    slips = select(Slip.technician_id, Slip.signed_at, Slip.payment_method, Slip.collected_fen, Slip.total_fen).where(
        Slip.status == SIGNED, Slip.signed_at >= start, Slip.signed_at < end)
    handed = select(Handover.technician_id, Handover.day, Handover.method, func.sum(Handover.amount_fen)).where(
        Handover.day.between(first, last)).group_by(Handover.technician_id, Handover.day, Handover.method)
    if technician_ids is not None:
        slips = slips.where(Slip.technician_id.in_(technician_ids))
        handed = handed.where(Handover.technician_id.in_(technician_ids))
    result = {}
    for technician_id, signed_at, method, collected, total in db.session.execute(slips):
        owed = total - collected
        result.setdefault((technician_id, local_day(signed_at)), Figures()).add_slips(method, 1, collected, owed,
                                                                                       int(owed > 0))
    for technician_id, day, method, amount in db.session.execute(handed):
        result.setdefault((technician_id, day), Figures()).add_handed(method, amount)
    return result
