"""全部工单: every order in every state, newest first, filtered at the desk and exported as it is shown.
The board stays the live view of open work; this is where a closed or cancelled order is found again."""
from datetime import date

from marshmallow import Schema, fields

from app.extensions import db
from app.localtime import day_bounds, format_local
from app.schemas import A_PAGE, TextId, load_dropping, one_of
from app.spreadsheets import table_workbook
from app.work_orders.models import WorkOrder
from app.work_orders.queries import NEWEST_FIRST, filtered, page_of, with_details
from app.work_orders.vocabulary import CATEGORIES, CHANNELS, STATUSES

PER_PAGE = 50
EXPORT_LIMIT = 50_000  # a year of a large company's orders; beyond that, narrow the filters
COLUMNS = ("工单号", "受理时间", "受理渠道", "类别", "状态", "热用户", "户号", "电话", "地址", "分公司", "片区", "师傅",
           "预约", "完工时间", "关闭时间")


class ListQuery(Schema):
    status = fields.Str(load_default=None, validate=one_of(STATUSES))
    category = fields.Str(load_default=None, validate=one_of(CATEGORIES))
    branch_id = TextId(load_default=None)
    technician_id = TextId(load_default=None)
    opened_from = fields.Date(load_default=None, format="%Y-%m-%d")
    opened_to = fields.Date(load_default=None, format="%Y-%m-%d")
    page = fields.Int(load_default=1, validate=A_PAGE)


def parse(args):
    """The filters that read, and the names of those dropped."""
    return load_dropping(ListQuery(), {key: value for key, value in args.items() if value.strip()})


def matching(actor, filters):
    """The orders the filters choose, unordered: counted as they are, listed through `statement`."""
    query = filtered(actor, status=[filters["status"]] if filters["status"] else None, open=False,
                     category=filters["category"], branch_id=filters["branch_id"],
                     technician_id=filters["technician_id"])
    if filters["opened_from"]:
        query = query.where(WorkOrder.created_at >= day_bounds(filters["opened_from"])[0])
    if filters["opened_to"]:
        query = query.where(WorkOrder.created_at < day_bounds(filters["opened_to"])[1])
    return query


def page(actor, filters):
    found = page_of(matching(actor, filters), filters["page"], PER_PAGE, order=NEWEST_FIRST)
    return {**found, "pages": max(1, -(-found["total"] // PER_PAGE))}


def rows(actor, filters):
    """The export's rows, the same orders in the same order as the pages."""
    statement = with_details(matching(actor, filters).order_by(*NEWEST_FIRST)).limit(EXPORT_LIMIT)
    for order in db.session.execute(statement).scalars():
        household = order.household
        yield (order.number, format_local(order.created_at), CHANNELS[order.channel], CATEGORIES[order.category],
               STATUSES[order.status], household.name, household.account_number, household.phone, household.address,
               order.branch.name, order.area.name, order.technician.name if order.technician else "",
               format_local(order.appointment_at) or "", format_local(order.done_at) or "",
               format_local(order.closed_at) or "")


def workbook(actor, filters):
    """The XLSX of what the list shows: one sheet, a header row, text as text (app/spreadsheets)."""
    return table_workbook("工单", COLUMNS, rows(actor, filters),
                          (15, 17, 10, 10, 8, 10, 13, 13, 30, 12, 10, 8, 17, 17, 17))


def export_name(today: date):
    return f"工单_{today.isoformat()}.xlsx"
