"""测温报表 (000 八.七): a month's room temperature readings per branch and estate — how many, how many below
the standard at the time measured, how many the customer signed (a reading without a signature is not
valid) — and every reading of the month as an XLSX.

A reading belongs to the month it was measured in (the phone's clock, Beijing time); it is signed when its
visit has a slip that is signed and not voided."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.branches.models import Branch, Estate
from app.extensions import db
from app.households.models import Household
from app.localtime import day_bounds, format_local
from app.service_slips.models import SIGNED, Slip
from app.spreadsheets import table_workbook
from app.visits.checklist import ROOMS
from app.visits.models import TemperatureReading, Visit
from app.work_orders.models import WorkOrder
from app.work_orders.vocabulary import CATEGORIES

ATTENTION_LIMIT = 200  # below standard or unsigned, listed on the page; the XLSX has every reading
COLUMNS = ("测量时间", "分公司", "小区", "户号", "热用户", "地址", "工单号", "工单类别", "房间", "室温(°C)", "标准(°C)",
           "是否达标", "客户签字", "服务单号", "维修师傅")


@dataclass
class EstateRow:
    branch: str
    estate: str
    readings: int = 0
    low: int = 0
    signed: int = 0
    households: set = field(default_factory=set)

    @property
    def unsigned(self):
        return self.readings - self.signed


def month_bounds(month):
    """[start, end) of a YYYYMM month in the company's zone, as UTC moments."""
    year, number = divmod(month, 100)
    following = date(year + number // 12, number % 12 + 1, 1)
    return day_bounds(date(year, number, 1))[0], day_bounds(following)[0]


def _measured():
    return func.coalesce(TemperatureReading.device_time, TemperatureReading.at)


def _statement(month, branch_id):
    signed = aliased(Slip)
    start, end = month_bounds(month)
    statement = (
        db.select(TemperatureReading, WorkOrder, Household, Estate.name, Branch.name, signed.serial,
                  User.name.label("technician"))
        .join(Visit, Visit.id == TemperatureReading.visit_id)
        .join(WorkOrder, WorkOrder.id == Visit.work_order_id)
        .join(Household, Household.id == WorkOrder.household_id)
        .join(Estate, Estate.id == Household.estate_id)
        .join(Branch, Branch.id == WorkOrder.branch_id)
        .outerjoin(signed, (signed.visit_id == Visit.id) & (signed.status == SIGNED))
        .outerjoin(User, User.id == Visit.technician_id)
        .where(_measured() >= start, _measured() < end)
        .order_by(_measured(), TemperatureReading.id)
    )
    return statement.where(WorkOrder.branch_id == branch_id) if branch_id else statement


def rows(month, branch_id=None):
    """Every reading of the month, oldest first: (reading, order, household, estate, branch, signed serial,
    the technician who measured)."""
    return db.session.execute(_statement(month, branch_id)).yield_per(1000)


def summary(month, branch_id=None):
    """(per-estate rows by branch and estate, the totals row, the readings that need someone's attention)."""
    by_estate, attention = {}, []
    total = EstateRow("合计", "")
    for reading, order, household, estate, branch, serial, _technician in rows(month, branch_id):
        row = by_estate.setdefault((branch, estate), EstateRow(branch, estate))
        for counted in (row, total):
            counted.readings += 1
            counted.low += reading.below_standard
            counted.signed += serial is not None
            counted.households.add(household.id)
        if (reading.below_standard or serial is None) and len(attention) < ATTENTION_LIMIT:
            attention.append((reading, order, household, serial))
    return [by_estate[key] for key in sorted(by_estate)], total, attention


WIDTHS = (17, 12, 12, 13, 10, 30, 15, 8, 8, 9, 9, 8, 8, 16, 8)


def workbook(month, branch_id=None):
    return table_workbook("测温报表", COLUMNS, _export_rows(month, branch_id), WIDTHS)


def _export_rows(month, branch_id):
    for reading, order, household, estate, branch, serial, technician in rows(month, branch_id):
        yield (format_local(reading.measured_at), branch, estate, household.account_number, household.name,
               household.address, order.number, CATEGORIES[order.category], ROOMS.get(reading.room, reading.room),
               reading.tenths / 10, reading.minimum_tenths / 10, "否" if reading.below_standard else "是",
               "是" if serial else "否", serial or "", technician or "")
