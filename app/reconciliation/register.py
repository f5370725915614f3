"""The serial register (单号登记簿): every number of a branch's year, used or voided, and none missing.

Numbers come from the branch-year's counter (app/service_slips/serials.py). A number below the
counter with no slip is a gap, and so is one above the highest slip but not above the counter.
Gaps are found in SQL from the serials alone (a window over the numbers), never by loading slips.
"""
from dataclasses import dataclass, field

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.branches.models import Branch
from app.errors import NotFound
from app.extensions import db
from app.numbering import Counter
from app.reconciliation.models import SlipCopyReturn
from app.service_slips.models import SIGNED, VOIDED, Slip
from app.service_slips.serials import counter_name, format_serial, serial_prefix
from app.work_orders.models import WorkOrder

PAGE_SIZE = 200


@dataclass
class Gap:
    first: int
    last: int

    @property
    def size(self):
        return self.last - self.first + 1


@dataclass
class Summary:
    branch: Branch
    year: int
    counter: int
    highest: int
    signed: int
    voided: int
    gaps: list = field(default_factory=list)

    @property
    def missing(self):
        return sum(gap.size for gap in self.gaps)

    @property
    def top(self):
        """The last number the register must account for."""
        return max(self.counter, self.highest)

    def serial(self, number):
        return format_serial(self.branch.code, self.year, number)

    @staticmethod
    def first_of(page_number):
        return (page_number - 1) * PAGE_SIZE + 1

    def page_of(self, number):
        return (number - 1) // PAGE_SIZE + 1

    @property
    def pages(self):
        return max(1, self.page_of(self.top)) if self.top else 1


def branch_by_code(code):
    branch = db.session.execute(db.select(Branch).filter_by(code=code)).scalar_one_or_none()
    if branch is None:
        raise NotFound(f"没有代码为 {code} 的分公司。")
    return branch


def years_of(branch):
    """The years the branch has numbered slips in, newest first."""
    prefix = counter_name(branch.code, "")
    names = db.session.execute(select(Counter.name).where(Counter.name.startswith(prefix, autoescape=True))).scalars()
    return sorted((int(name[len(prefix):]) for name in names if name[len(prefix):].isdigit()), reverse=True)


def _prefix(branch, year):
    return serial_prefix(branch.code, year)


def _number(prefix):
    return cast(func.substr(Slip.serial, len(prefix) + 1), Integer)


def _in_year(prefix):
    return Slip.serial.startswith(prefix, autoescape=True)


def summary(branch, year):
    prefix = _prefix(branch, year)
    number = _number(prefix)
    counter = db.session.execute(select(Counter.value).filter_by(name=counter_name(branch.code, year))).scalar()
    highest, signed, voided = db.session.execute(
        select(func.max(number), func.count().filter(Slip.status == SIGNED), func.count().filter(Slip.status == VOIDED))
        .where(_in_year(prefix))
    ).one()
    result = Summary(branch, year, counter or 0, highest or 0, signed, voided)
    above = [Gap(result.highest + 1, result.counter)] if result.counter > result.highest else []
    result.gaps = _holes(prefix) + above
    return result


def _holes(prefix):
    """Runs of numbers missing below the highest slip: where a number is more than one after the previous."""
    number = _number(prefix)
    numbered = select(number.label("n"), func.lag(number).over(order_by=number).label("previous")).where(
        _in_year(prefix)).subquery()
    previous = func.coalesce(numbered.c.previous, 0)
    rows = db.session.execute(
        select(previous + 1, numbered.c.n - 1).where(numbered.c.n - previous > 1).order_by(numbered.c.n)
    ).all()
    return [Gap(first, last) for first, last in rows]


def page(result, page_number):
    """The register's rows for one page of numbers: each slip, or a missing number, in order."""
    first = (page_number - 1) * PAGE_SIZE + 1
    last = min(page_number * PAGE_SIZE, result.top)
    slips = {row.number: row for row in _slips_between(result, first, last)}
    return [slips.get(number) or Missing(number, result.serial(number)) for number in range(first, last + 1)]


@dataclass
class Missing:
    number: int
    serial: str
    missing: bool = True


def _slips_between(result, first, last):
    prefix = _prefix(result.branch, result.year)
    number = _number(prefix)
    replacement, voider, technician = aliased(Slip), aliased(User), aliased(User)
    statement = (
        select(number.label("number"), Slip.id, Slip.serial, Slip.status, Slip.signed_at, Slip.total_fen, Slip.charged,
               Slip.payment_method, Slip.collected_fen, Slip.void_reason, Slip.voided_at,
               voider.name.label("voided_by"), technician.name.label("technician"),
               technician.badge_number.label("badge_number"), WorkOrder.id.label("order_id"),
               WorkOrder.number.label("order_number"), replacement.serial.label("replaced_by"),
               SlipCopyReturn.returned_at.label("copy_returned_at"))
        .join(technician, technician.id == Slip.technician_id)
        .join(WorkOrder, WorkOrder.id == Slip.work_order_id)
        .outerjoin(voider, voider.id == Slip.voided_by_id)
        .outerjoin(replacement, replacement.replaces_id == Slip.id)
        .outerjoin(SlipCopyReturn, SlipCopyReturn.slip_id == Slip.id)
        .where(_in_year(prefix), number.between(first, last))
    )
    return db.session.execute(statement).all()


def alarms(year):
    """Every branch's summary for the year, for the overview: those with gaps are the alarms. Last year's
    gaps stay too, so that a gap found in December does not vanish on 1 January."""
    branches = db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all()
    last_year = [result for result in (summary(branch, year - 1) for branch in branches) if result.gaps]
    return [summary(branch, year) for branch in branches] + last_year
