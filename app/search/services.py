"""找: one box for every desk role. What a caller or a paper slip gives — 工单号, slip serial (CD-…), 户号, phone,
address — finds the orders in every state (closed and cancelled too) and the households, best match first."""
import re
from dataclasses import dataclass, field

from app.extensions import db
from app.households import services as households
from app.service_slips.models import Slip
from app.work_orders.models import WorkOrder
from app.work_orders.queries import with_details

ORDER_NUMBER = re.compile(r"GD\d{6,10}", re.IGNORECASE)
SLIP_SERIAL = re.compile(r"[A-Z0-9]{1,10}-\d{4}-\d{1,6}", re.IGNORECASE)
MAX_ORDERS = 50


@dataclass
class Found:
    query: str
    exact: WorkOrder | None = None  # the one order a number or serial names
    orders: list = field(default_factory=list)
    households: list = field(default_factory=list)


def find(query):
    query = " ".join((query or "").split())[:100]
    found = Found(query)
    if not query:
        return found
    found.exact = _by_number(query) or _by_serial(query)
    found.households = households.search(query)
    found.orders = _orders(found.exact, found.households, query)
    return found


def _by_number(query):
    if not ORDER_NUMBER.fullmatch(query):
        return None
    return db.session.execute(db.select(WorkOrder).filter_by(number=query.upper())).scalar_one_or_none()


def _by_serial(query):
    if not SLIP_SERIAL.fullmatch(query):
        return None
    slip = db.session.execute(db.select(Slip).filter_by(serial=query.upper())).scalar_one_or_none()
    return slip.work_order if slip else None


def _orders(exact, found_households, query):
    """The named order first; then orders whose number starts with what was typed; then the households'
    orders, newest first."""
    orders = [exact] if exact else []
    if query.upper().startswith("GD") and query[2:].isdigit():
        orders += _newest(WorkOrder.number.startswith(query.upper(), autoescape=True))
    if found_households:
        orders += _newest(WorkOrder.household_id.in_([h.id for h in found_households]))
    unique = list(dict.fromkeys(orders))
    return unique[:MAX_ORDERS]


def _newest(condition):
    statement = with_details(db.select(WorkOrder).where(condition)
                             .order_by(WorkOrder.created_at.desc()).limit(MAX_ORDERS))
    return db.session.execute(statement).unique().scalars().all()
